import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConnectSchema, DECIMAL_NAME, type DecimalValue } from './data/schema.js';
import { javaDoubleToString, javaFloatToString } from './json/java-number.js';
import { JsonConverter } from './json-converter.js';

/** A line of the vector file written by Apache Kafka 3.9.1's own JsonConverter. */
interface Vector {
  case: string;
  schemas_enable: boolean;
  decimal_format?: 'BASE64' | 'NUMERIC';
  bytes: string | null;
  roundtrip: string | null;
  without_schemas?: string | null;
  /** The value Connect's JsonConverter read from `bytes`, described by its Java type (ConnectValues.java). */
  value: unknown;
}

/**
 * A value pipe read, described as ConnectValues.java describes the Java one:
 * by its schema's type, or by its JavaScript type when there is no schema.
 */
function described(schema: ConnectSchema | null, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { date: value.getTime() };
  if (schema?.name === DECIMAL_NAME) {
    const d = value as DecimalValue;
    return { decimal: { unscaled: d.unscaled.toString(), scale: d.scale } };
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map((item) => described(schema?.items ?? null, item));
  if (value instanceof Map) {
    return {
      map: [...value].map(([k, v]) => [
        described(schema?.keys ?? null, k),
        described(schema?.values ?? null, v),
      ]),
    };
  }
  if (schema?.type === 'struct') {
    const struct = value as Record<string, unknown>;
    return {
      struct: Object.fromEntries((schema.fields ?? []).map((f) => [f.field, described(f, struct[f.field])])),
    };
  }
  if (typeof value === 'bigint') return { int64: value.toString() };
  if (typeof value === 'number') {
    switch (schema?.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return { [schema.type]: value };
      case 'float':
        return { float32: javaFloatToString(value) };
      default:
        return { float64: javaDoubleToString(value) };
    }
  }
  throw new Error(`no description for ${String(value)}`);
}

const folder = new URL('../../test/fixtures/connect-vectors/', import.meta.url);
const files = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
const vectorsOf = (name: string): Vector[] =>
  readFileSync(new URL(name, folder), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

const encode = (text: string | null) => (text === null ? null : new TextEncoder().encode(text));
const decode = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe.each(files)('JsonConverter against the vectors Kafka Connect wrote: %s', (name) => {
  const vectors = vectorsOf(name);

  it('has vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(38);
  });

  for (const vector of vectors) {
    const settings = `schemas.enable=${vector.schemas_enable}${vector.decimal_format ? `, decimal.format=${vector.decimal_format}` : ''}`;
    const options = {
      schemasEnable: vector.schemas_enable,
      decimalFormat: vector.decimal_format ?? 'BASE64',
    } as const;

    it(`${vector.case} (${settings}): reads the value Connect reads, and writing it gives Connect's roundtrip bytes`, () => {
      const converter = new JsonConverter(options);
      const { schema, value } = converter.toConnectData('t', encode(vector.bytes));
      expect(described(schema, value)).toEqual(vector.value);
      expect(decode(converter.fromConnectData('t', schema, value))).toBe(vector.roundtrip);
    });

    it(`${vector.case} (${settings}): reads the same value again when the record repeats the last schema`, () => {
      const converter = new JsonConverter(options);
      const first = converter.toConnectData('t', encode(vector.bytes));
      const again = converter.toConnectData('t', encode(vector.bytes));
      expect(again.schema).toBe(first.schema);
      expect(described(again.schema, again.value)).toEqual(vector.value);
      expect(again.value).toEqual(first.value);
    });

    if ('without_schemas' in vector) {
      it(`${vector.case} (${settings}): writing what was read without schemas gives Connect's bytes`, () => {
        const { schema, value } = new JsonConverter(options).toConnectData('t', encode(vector.bytes));
        const plain = new JsonConverter({ ...options, schemasEnable: false });
        expect(decode(plain.fromConnectData('t', schema, value))).toBe(vector.without_schemas);
      });
    }
  }
});

describe('the vector files', () => {
  it("include Kafka 3.9.1's file, every line of it", () => {
    expect(files).toContain('jsonconverter-3.9.1.jsonl');
    expect(vectorsOf('jsonconverter-3.9.1.jsonl')).toHaveLength(38);
  });
});
