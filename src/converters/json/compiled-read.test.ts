import { describe, expect, it } from 'vitest';
import { Schemas } from '../data/builders.js';
import { readCompiled } from './compiled-read.js';
import { toConnectValue } from './read-value.js';
import { parseJson } from './reader.js';

const context = { topic: 't', decimalFormat: 'BASE64', replaceNullWithDefault: true } as const;
const general = (schema: Parameters<typeof toConnectValue>[0], text: string) =>
  toConnectValue(schema, parseJson(text, 't'), '', context);

const ROW = Schemas.struct({
  id: Schemas.int64(),
  small: Schemas.int16(),
  name: Schemas.string(),
  note: Schemas.optional(Schemas.string()),
  flag: Schemas.boolean(),
  raw: Schemas.bytes(),
  amount: Schemas.optional(Schemas.decimal(2)),
  day: Schemas.date(),
  time: Schemas.time(),
  at: Schemas.optional(Schemas.timestamp()),
  inner: Schemas.struct({ n: Schemas.int32() }),
});

describe('the compiled payload reader', () => {
  it.each([
    '{"id":9223372036854775807,"small":-32768,"name":"ä €","note":null,"flag":true,"raw":"AAEC","amount":"ME8=","day":19723,"time":3600000,"at":1704067200123,"inner":{"n":-0}}',
    '{"id":-1,"small":0,"name":"","note":"x","flag":false,"raw":"","amount":null,"day":-1,"time":0,"at":null,"inner":{"n":2147483647}}',
  ])('reads what Connect writes as the general reader does: %s', (text) => {
    expect(readCompiled(ROW, text)).toEqual({ value: general(ROW, text) });
  });

  it.each([
    ['white space', '{"n": 1}'],
    ['fields in another order', '{"m":1,"n":2}'],
    ['a missing field', '{"n":1}'],
    ['an extra field', '{"n":1,"m":2,"o":3}'],
    ['a fraction for an integer', '{"n":1.0,"m":2}'],
    ['an exponent', '{"n":1e2,"m":2}'],
    ['leading zeros', '{"n":007,"m":2}'],
    ['an int32 out of range', '{"n":2147483648,"m":2}'],
    ['a null for a required field', '{"n":null,"m":2}'],
    ['text after the value', '{"n":1,"m":2}x'],
  ])('leaves %s to the general reader', (_, text) => {
    expect(readCompiled(Schemas.struct({ n: Schemas.int32(), m: Schemas.int32() }), text)).toBeUndefined();
  });

  it('reads Decimals of every small base64 length and sign as the general reader does', () => {
    const schema = Schemas.decimal(3);
    const texts = [
      'AA==',
      'fw==',
      'gA==',
      '/w==',
      'AP8=',
      'gAA=',
      'AQID',
      '/////w==',
      'f////w==',
      'AQIDBA==',
      'gAAAAAA=',
      'AQIDBAUG',
      '////////',
      'fwABAgME',
      'AQIDBAUGBw==',
    ];
    for (const base64 of texts) {
      const text = `"${base64}"`;
      expect(readCompiled(schema, text)).toEqual({ value: general(schema, text) });
    }
    for (const bad of ['"A===="', '"AB=C"', '"ABC"', '"AB?D"', '""', '"AB=="x']) {
      expect(readCompiled(schema, bad)).toBeUndefined();
    }
  });

  it('reads integers of every length as the general reader does', () => {
    const row = Schemas.struct({ a: Schemas.int64(), b: Schemas.timestamp(), c: Schemas.int32() });
    for (const n of [
      '0',
      '-0',
      '7',
      '-999999999999999',
      '9999999999999999',
      '-9007199254740993',
      '1234567890123456789',
    ]) {
      const text = `{"a":${n},"b":${n.length > 15 ? 1 : n},"c":${n.length > 10 ? 1 : n}}`;
      expect(readCompiled(row, text)).toEqual({ value: general(row, text) });
    }
  });

  it('leaves escaped strings, bad base64, and schemas with floats or defaults to the general reader', () => {
    expect(readCompiled(Schemas.string(), '"a\\"b"')).toBeUndefined();
    expect(readCompiled(Schemas.bytes(), '"AAE"')).toBeUndefined();
    expect(readCompiled(Schemas.struct({ f: Schemas.double() }), '{"f":1}')).toBeUndefined();
    expect(readCompiled(Schemas.int32({ optional: true, default: 5 }), 'null')).toBeUndefined();
  });
});
