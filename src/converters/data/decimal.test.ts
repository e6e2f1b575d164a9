import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal, unscaledFromBytes, unscaledToBytes } from './decimal.js';

describe('Decimal values', () => {
  it('parse keeps the scale the text shows, as new BigDecimal(text) does', () => {
    expect(parseDecimal('12.30')).toEqual({ unscaled: 1230n, scale: 2 });
    expect(parseDecimal('-1E-10')).toEqual({ unscaled: -1n, scale: 10 });
    expect(parseDecimal('1.5E+3')).toEqual({ unscaled: 15n, scale: -2 });
    expect(parseDecimal('42')).toEqual({ unscaled: 42n, scale: 0 });
    expect(parseDecimal('abc')).toBeUndefined();
    expect(parseDecimal('.')).toBeUndefined();
  });

  it("format prints as Java's BigDecimal.toString", () => {
    expect(formatDecimal({ unscaled: 1234n, scale: 2 })).toBe('12.34');
    expect(formatDecimal({ unscaled: -5n, scale: 3 })).toBe('-0.005');
    expect(formatDecimal({ unscaled: 1n, scale: 6 })).toBe('0.000001');
    expect(formatDecimal({ unscaled: 1n, scale: 7 })).toBe('1E-7');
    expect(formatDecimal({ unscaled: 123n, scale: 10 })).toBe('1.23E-8');
    expect(formatDecimal({ unscaled: 15n, scale: -2 })).toBe('1.5E+3');
    expect(formatDecimal({ unscaled: 7n, scale: 0 })).toBe('7');
  });

  it("bytes are Java's BigInteger.toByteArray: big-endian two's complement in the fewest bytes", () => {
    expect([...unscaledToBytes(0n)]).toEqual([0]);
    expect([...unscaledToBytes(127n)]).toEqual([0x7f]);
    expect([...unscaledToBytes(128n)]).toEqual([0x00, 0x80]);
    expect([...unscaledToBytes(-1n)]).toEqual([0xff]);
    expect([...unscaledToBytes(-128n)]).toEqual([0x80]);
    expect([...unscaledToBytes(-129n)]).toEqual([0xff, 0x7f]);
    expect([...unscaledToBytes(1234n)]).toEqual([0x04, 0xd2]);
  });

  it('the fewest bytes at every byte boundary, on both sides of the number arithmetic for small values', () => {
    for (let bits = 7n; bits <= 63n; bits += 8n) {
      const edge = 2n ** bits;
      const length = Number(bits + 1n) / 8;
      // The largest and smallest values of `length` bytes, and the first ones that need one more.
      expect(unscaledToBytes(edge - 1n)).toHaveLength(length);
      expect(unscaledToBytes(-edge)).toHaveLength(length);
      expect(unscaledToBytes(edge)).toHaveLength(length + 1);
      expect(unscaledToBytes(-edge - 1n)).toHaveLength(length + 1);
      for (const value of [edge - 1n, -edge, edge, -edge - 1n, edge / 3n, -edge / 3n]) {
        expect(unscaledFromBytes(unscaledToBytes(value))).toBe(value);
      }
    }
  });

  it('bytes read back to the same unscaled value, and no bytes are refused', () => {
    for (const value of [0n, 1n, -1n, 255n, -256n, 2n ** 100n, -(2n ** 100n) + 7n]) {
      expect(unscaledFromBytes(unscaledToBytes(value))).toBe(value);
    }
    expect(unscaledFromBytes(new Uint8Array())).toBeUndefined();
  });
});
