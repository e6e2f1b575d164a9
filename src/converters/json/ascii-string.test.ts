import { describe, expect, it } from 'vitest';
import { asciiStringAt } from './ascii-string.js';

const bytesOf = (text: string) => Buffer.from(text, 'utf8');
const read = (text: string) => {
  const bytes = bytesOf(text);
  return asciiStringAt(bytes, 0, bytes.length);
};

describe('a JSON string read from its bytes', () => {
  it.each([
    ['empty', '""'],
    ['short', '"line-1"'],
    ['long, read a word at a time', `"${'x'.repeat(10_000)}"`],
    [
      'every plain ASCII byte',
      `"${Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0x20 + i))
        .join('')
        .replace(/["\\]/g, '')}"`,
    ],
  ])('is its text, as JSON.parse reads it: %s', (_, text) => {
    expect(read(text)).toBe(JSON.parse(text));
  });

  it('reads only the bytes from start to end, however the buffer and the string are aligned', () => {
    const payload = `"${'a'.repeat(200)}"`;
    const whole = bytesOf(`${'{'.repeat(8)}${payload}"}}`);
    for (let shift = 0; shift < 8; shift++) {
      const start = 8 - shift;
      expect(asciiStringAt(whole.subarray(shift), start, start + payload.length)).toBe('a'.repeat(200));
    }
  });

  it('reads a Uint8Array that is not a Buffer', () => {
    const bytes = new Uint8Array(bytesOf('x"plain"'));
    expect(asciiStringAt(bytes, 1, bytes.length)).toBe('plain');
  });

  // Each one is tried at every position of a long string and of a short one, so both the word scan and the byte loop meet it.
  it.each([
    ['a quote inside', '"'],
    ['an escape', '\\'],
    ['a control character', '\u0000'],
    ['the last control character', '\u001f'],
    ['a tab', '\t'],
    ['a UTF-8 character', 'é'],
    ['a byte of 0xff', '\u00ff'],
  ])('leaves %s to the text readers', (_, inner) => {
    for (const length of [10, 100]) {
      for (let at = 0; at < length; at++) {
        const body = 'y'.repeat(at) + inner + 'y'.repeat(length - at);
        expect(read(`"${body}"`)).toBeUndefined();
      }
    }
  });

  it.each([
    ['no quotes', 'plain'],
    ['no closing quote', '"plain'],
    ['no opening quote', 'plain"'],
    ['a lone quote', '"'],
    ['a number', '12'],
    ['null', 'null'],
  ])('is undefined for what is not one string: %s', (_, text) => {
    expect(read(text)).toBeUndefined();
  });
});
