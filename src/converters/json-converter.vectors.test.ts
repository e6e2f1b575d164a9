import { readFileSync } from 'node:fs';
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

const file = new URL('../../test/fixtures/connect-vectors/jsonconverter-3.9.1.jsonl', import.meta.url);
const vectors: Vector[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

const encode = (text: string | null) => (text === null ? null : new TextEncoder().encode(text));
const decode = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe('JsonConverter against the vectors of Kafka Connect 3.9.1', () => {
  it('reads the whole vector file', () => {
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
