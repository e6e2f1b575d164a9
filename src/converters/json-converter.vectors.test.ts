import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonConverter } from './json-converter.js';

/** A line of the vector file written by Apache Kafka 3.9.1's own JsonConverter. */
interface Vector {
  case: string;
  schemas_enable: boolean;
  decimal_format?: 'BASE64' | 'NUMERIC';
  bytes: string | null;
  roundtrip: string | null;
  without_schemas?: string | null;
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

    it(`${vector.case} (${settings}): reading then writing gives Connect's roundtrip bytes`, () => {
      const converter = new JsonConverter(options);
      const { schema, value } = converter.toConnectData('t', encode(vector.bytes));
      expect(decode(converter.fromConnectData('t', schema, value))).toBe(vector.roundtrip);
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
