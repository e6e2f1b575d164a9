import { describe, expect, it } from 'vitest';
import { ByteArrayConverter, createConverter, JsonConverter, StringConverter } from './index.js';

const json = { type: 'json', schemas: true, decimalFormat: 'BASE64' } as const;

describe('createConverter', () => {
  it('picks the converter the spec names', () => {
    expect(createConverter(json, { isKey: false })).toBeInstanceOf(JsonConverter);
    expect(createConverter({ ...json, type: 'string' }, { isKey: true })).toBeInstanceOf(StringConverter);
    expect(createConverter({ ...json, type: 'bytearray' }, { isKey: false })).toBeInstanceOf(
      ByteArrayConverter,
    );
  });

  it('passes schemas and decimal format to the JsonConverter', () => {
    const plain = createConverter({ ...json, schemas: false, decimalFormat: 'NUMERIC' }, { isKey: false });
    const decimal = {
      type: 'bytes',
      name: 'org.apache.kafka.connect.data.Decimal',
      parameters: { scale: '1' },
    } as const;
    expect(new TextDecoder().decode(plain.fromConnectData('t', decimal, { unscaled: 15n, scale: 1 })!)).toBe(
      '1.5',
    );
  });
});

describe('StringConverter', () => {
  const converter = new StringConverter();

  it('writes UTF-8 text and reads it back with an optional string schema', () => {
    const bytes = converter.fromConnectData('t', null, 'aaa é')!;
    expect([...bytes]).toEqual([0x61, 0x61, 0x61, 0x20, 0xc3, 0xa9]);
    expect(converter.toConnectData('t', bytes)).toEqual({
      schema: { type: 'string', optional: true },
      value: 'aaa é',
    });
  });

  it('writes the text of a value that is not a string, and null as no bytes', () => {
    expect(new TextDecoder().decode(converter.fromConnectData('t', null, 42n)!)).toBe('42');
    expect(converter.fromConnectData('t', null, null)).toBeNull();
    expect(converter.toConnectData('t', null).value).toBeNull();
  });
});

describe('ByteArrayConverter', () => {
  const converter = new ByteArrayConverter();

  it('passes bytes through both ways', () => {
    const bytes = new Uint8Array([0, 255, 7]);
    expect(converter.fromConnectData('t', { type: 'bytes' }, bytes)).toBe(bytes);
    expect(converter.toConnectData('t', bytes)).toEqual({
      schema: { type: 'bytes', optional: true },
      value: bytes,
    });
  });

  it('refuses a schema other than bytes and a value that is not bytes', () => {
    expect(() => converter.fromConnectData('t', { type: 'string' }, new Uint8Array())).toThrow(
      /bytes schema/,
    );
    expect(() => converter.fromConnectData('t', null, 'text')).toThrow(/Uint8Array/);
  });
});
