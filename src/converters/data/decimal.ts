/**
 * Connect's Decimal logical type on JavaScript values. Java keeps decimals as
 * BigDecimal (an unscaled BigInteger and a scale); `DecimalValue` holds the
 * same pair so no digit is ever lost to floating point.
 */
import type { DecimalValue } from './schema.js';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Reads decimal text (`12.30`, `-1E-10`) keeping its scale, as `new BigDecimal(text)` does; undefined if it is not a number. */
export function parseDecimal(text: string): DecimalValue | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponent] = match;
  if (whole === '' && fraction === '') return undefined;
  const digits = BigInt(whole + fraction || '0');
  return {
    unscaled: sign === '-' ? -digits : digits,
    scale: fraction.length - (exponent === undefined ? 0 : Number(exponent)),
  };
}

/** Java's `BigDecimal.toString()`: plain digits, or scientific notation when the exponent is small or the scale negative. */
export function formatDecimal({ unscaled, scale }: DecimalValue): string {
  const negative = unscaled < 0n;
  const coefficient = (negative ? -unscaled : unscaled).toString();
  const sign = negative ? '-' : '';
  const adjusted = -scale + (coefficient.length - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + coefficient;
    if (coefficient.length > scale) {
      const point = coefficient.length - scale;
      return `${sign}${coefficient.slice(0, point)}.${coefficient.slice(point)}`;
    }
    return `${sign}0.${'0'.repeat(scale - coefficient.length)}${coefficient}`;
  }
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** Java's `BigInteger.toByteArray()`: big-endian two's complement in the fewest bytes. */
export function unscaledToBytes(unscaled: bigint): Uint8Array {
  if (unscaled >= -SAFE_BYTES_LIMIT && unscaled < SAFE_BYTES_LIMIT) return smallToBytes(Number(unscaled));
  // The fewest bytes hold the value's bits plus a sign bit; hex text is the fast way from a bigint to bytes.
  const magnitudeBits = (unscaled < 0n ? -unscaled - 1n : unscaled).toString(2).length;
  const length = Math.floor(magnitudeBits / 8) + 1;
  const twos = unscaled < 0n ? (1n << BigInt(8 * length)) + unscaled : unscaled;
  return Buffer.from(twos.toString(16).padStart(2 * length, '0'), 'hex');
}

/** Values of up to 6 bytes are written with number arithmetic, exact below 2^53, without the bigint's text. */
const SAFE_BYTES_LIMIT = 2n ** 47n;

function smallToBytes(value: number): Uint8Array {
  let length = 1;
  while (value < -(2 ** (8 * length - 1)) || value >= 2 ** (8 * length - 1)) length++;
  const bytes = Buffer.allocUnsafe(length);
  // Floor division leaves two's complement bytes for negative values too.
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    const high = Math.floor(rest / 256);
    bytes[i] = rest - high * 256;
    rest = high;
  }
  return bytes;
}

/** The inverse of `unscaledToBytes`; undefined for no bytes, which Java rejects as a zero-length BigInteger. */
export function unscaledFromBytes(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0) return undefined;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return (bytes[0] ?? 0) >= 0x80 ? value - (1n << BigInt(8 * bytes.length)) : value;
}

/** `DecimalValue` helpers, named like Connect's `Decimal` class. */
export const Decimal = {
  parse(text: string): DecimalValue | undefined {
    return parseDecimal(text);
  },
  format(value: DecimalValue): string {
    return formatDecimal(value);
  },
};
