import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { javaDoubleToString, javaFloatToString } from './java-number.js';

describe("javaDoubleToString prints a double as Java 17's Double.toString does", () => {
  it.each([
    [3, '3.0'],
    [-3, '-3.0'],
    [0.1, '0.1'],
    [0.1 + 0.2, '0.30000000000000004'],
    [100, '100.0'],
    [123.456, '123.456'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [0.00012345, '1.2345E-4'],
    [9999999, '9999999.0'],
    [10_000_000, '1.0E7'],
    [123456789, '1.23456789E8'],
    [1e-300, '1.0E-300'],
    [12345678901234567000, '1.2345678901234567E19'],
    [1e21, '1.0E21'],
    [6.9724872926972954e17, '6.9724872926972954E17'],
    [2.82879384806159e17, '2.82879384806159008E17'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.MIN_VALUE, '4.9E-324'],
    [2 ** 53 + 2, '9.007199254740994E15'],
  ])('%s → %s', (value, text) => {
    expect(javaDoubleToString(value)).toBe(text);
  });

  it('keeps the sign of zero', () => {
    expect(javaDoubleToString(0)).toBe('0.0');
    expect(javaDoubleToString(-0)).toBe('-0.0');
  });

  it('names the non-finite values as Java does', () => {
    expect(javaDoubleToString(Number.NaN)).toBe('NaN');
    expect(javaDoubleToString(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(javaDoubleToString(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });

  it('prints text that reads back to the same double, for many random doubles', () => {
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 2000; i++) {
      view.setUint32(0, (Math.random() * 2 ** 32) >>> 0);
      view.setUint32(4, (Math.random() * 2 ** 32) >>> 0);
      const value = view.getFloat64(0);
      if (!Number.isFinite(value)) continue;
      const text = javaDoubleToString(value);
      expect(Number(text)).toBe(value);
      expect(text).toMatch(/^-?\d+\.\d+(E-?\d+)?$/);
    }
  });
});

describe("javaFloatToString prints a float32 as Java's Float.toString does", () => {
  it.each([
    [1.1, '1.1'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [0.3, '0.3'],
    [100, '100.0'],
    [16777216, '1.6777216E7'],
    [1e10, '1.0E10'],
    [1e-5, '1.0E-5'],
    [3.4028234663852886e38, '3.4028235E38'],
    [1.401298464324817e-45, '1.4E-45'],
    [Math.PI, '3.1415927'],
    [151031552, '1.51031552E8'],
    [4188584.25, '4188584.2'],
    [268275.125, '268275.12'],
  ])('%s → %s', (value, text) => {
    expect(javaFloatToString(value)).toBe(text);
  });

  it('prints an integer-valued float with its exact digits down to its precision, as Java 17 does', () => {
    expect(javaFloatToString(3687829110000000)).toBe('3.68782911E15');
  });

  it('rounds to float32 first, so a double that is not a float prints as its nearest float', () => {
    expect(javaFloatToString(0.1 + 0.2)).toBe('0.3');
  });
});

describe('the Java 17 sample (test/fixtures/connect-vectors/java17-number-strings.txt)', () => {
  const file = new URL('../../../test/fixtures/connect-vectors/java17-number-strings.txt', import.meta.url);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const view = new DataView(new ArrayBuffer(8));

  it('prints every double and float of the sample exactly as Java 17 did', () => {
    const differences: string[] = [];
    for (const line of lines) {
      const [kind, hex, java] = line.split(' ') as [string, string, string];
      let printed: string;
      if (kind === 'd') {
        view.setBigUint64(0, BigInt(`0x${hex}`));
        printed = javaDoubleToString(view.getFloat64(0));
      } else {
        view.setUint32(0, Number(`0x${hex}`));
        printed = javaFloatToString(view.getFloat32(0));
      }
      if (printed !== java) differences.push(`${line} → ${printed}`);
    }
    expect(lines.length).toBe(5996);
    expect(differences).toEqual([]);
  });
});
