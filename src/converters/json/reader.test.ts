import { describe, expect, it } from 'vitest';
import { JsonNumber, parseJson } from './reader.js';

describe('parseJson', () => {
  it('keeps the text of numbers, so int64 stays exact and 1 differs from 1.0', () => {
    expect(parseJson('[9223372036854775807,1,1.0,-2e3]')).toEqual([
      new JsonNumber('9223372036854775807', true),
      new JsonNumber('1', true),
      new JsonNumber('1.0', false),
      new JsonNumber('-2e3', false),
    ]);
  });

  it('accepts leading zeros, as Connect configures Jackson to', () => {
    expect(parseJson('007')).toEqual(new JsonNumber('007', true));
  });

  it('keeps object keys in order in a Map, any key included', () => {
    const object = parseJson('{"b":1,"__proto__":2,"a":{}}') as Map<string, unknown>;
    expect([...object.keys()]).toEqual(['b', '__proto__', 'a']);
  });

  it('decodes escapes', () => {
    expect(parseJson('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"')).toBe('a"\\/\b\f\n\r\t\u00e9😀');
  });

  it('gives nothing for an empty document', () => {
    expect(parseJson('  ')).toBeUndefined();
  });

  it.each([
    ['{"a":1,}', 7],
    ['[1 2]', 3],
    ['"abc', 4],
    ['"a\u0001"', 2],
    ['01.', 3],
    ['{"a":1} x', 8],
    ['NaN', 0],
    ['"\\x"', 1],
  ])('refuses %j with the offset of the problem', (text, offset) => {
    expect(() => parseJson(text, 'orders')).toThrowError(
      expect.objectContaining({ code: 'CONVERTER_DATA', meta: { topic: 'orders', offset } }),
    );
  });
});
