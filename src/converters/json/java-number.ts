/**
 * Numbers printed the way Jackson prints them for Kafka Connect, which is
 * Java's `Double.toString` / `Float.toString` as Java 17 runs them: the
 * shortest digits that read back to the same value (closest, ties to even,
 * two digits when one would do), except that an integer-valued number below
 * 2^63 prints its exact digits down to its precision; plain between 10^-3
 * and 10^7, otherwise `d.dddE±n`, and always a fractional part (`3.0`,
 * `1.0E-300`). Checked against a JVM on 400,000 random values; the rare
 * values where Java 17's general case is not shortest (1.0E23, which it
 * prints 9.999999999999999E22) print shortest here: same value, other text.
 */

// Java's FloatingDecimal: how many low decimal digits of an integer above 2^p2 are below its precision.
const INSIGNIFICANT_DIGITS = [
  0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10,
  10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18,
  18, 19,
];
const TWO_TO_63 = 2 ** 63;

/**
 * Java 17's digits for an integer-valued number below 2^63: the exact
 * integer, rounded to drop the digits below its precision. This is where
 * the JDK prints more than the shortest digits (6.9724872926972954E17).
 */
function integerDigits(magnitude: number, significantBits: number): [string, number] {
  let value = BigInt(magnitude);
  const binaryExponent = value.toString(2).length - 1;
  const p2 = binaryExponent - significantBits - 1;
  const insignificant = binaryExponent > significantBits && p2 > 1 ? (INSIGNIFICANT_DIGITS[p2] ?? 0) : 0;
  if (insignificant > 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = value % pow10;
    value /= pow10;
    if (residue >= pow10 / 2n) value++;
  }
  const text = value.toString();
  return [text.replace(/0+$/, ''), text.length - 1 + insignificant];
}

/** Shortest digits (closest, ties to even, as Number#toString) and decimal exponent of a positive finite double. */
function shortestDoubleDigits(magnitude: number): [string, number] {
  const shortest = splitPlain(String(magnitude));
  if (shortest[0].length > 1) return shortest;
  // Java chooses among one- and two-digit decimals the closest, which may be two digits (4.9E-324, not 5E-324).
  const two = magnitude.toExponential(1);
  return Number(two) === magnitude ? splitExponential(two) : shortest;
}

/** The shortest decimal of two or more digits, closest with ties to even, that reads back through float32 rounding to the same float. */
function shortestFloatDigits(magnitude: number): [string, number] {
  const [exact, exponent] = exactDigits(magnitude);
  for (let precision = 2; precision < exact.length; precision++) {
    const [digits, roundedExponent] = roundHalfEven(exact, exponent, precision);
    if (Math.fround(Number(`${digits}e${roundedExponent - digits.length + 1}`)) === magnitude)
      return [digits.replace(/0+$/, '') || '0', roundedExponent];
  }
  return [exact, exponent];
}

/** All the digits of a double's exact binary value, without trailing zeros, and its decimal exponent. */
function exactDigits(magnitude: number): [string, number] {
  view.setFloat64(0, magnitude);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const mantissa = (bits & 0xfffffffffffffn) | (biased === 0 ? 0n : 1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075;
  const [integer, shift] =
    power >= 0 ? [mantissa << BigInt(power), 0] : [mantissa * 5n ** BigInt(-power), power];
  const text = integer.toString();
  return [text.replace(/0+$/, ''), text.length - 1 + shift];
}

function roundHalfEven(digits: string, exponent: number, precision: number): [string, number] {
  const kept = BigInt(digits.slice(0, precision));
  const rest = digits.slice(precision);
  const half = rest[0] === '5' && /^5[0]*$/.test(rest);
  const up = (rest[0] ?? '0') > '5' || (rest[0] === '5' && !half) || (half && kept % 2n === 1n);
  const rounded = (up ? kept + 1n : kept).toString();
  return rounded.length > precision ? [rounded.slice(0, precision), exponent + 1] : [rounded, exponent];
}

const view = new DataView(new ArrayBuffer(8));

function splitExponential(text: string): [string, number] {
  const e = text.indexOf('e');
  const digits = text.slice(0, e).replace('.', '').replace(/0+$/, '') || '0';
  return [digits, Number(text.slice(e + 1))];
}

/** Digits and exponent of Number#toString output, plain (`0.00012`, `123.5`) or exponential. */
function splitPlain(text: string): [string, number] {
  if (text.includes('e')) return splitExponential(text);
  const point = text.indexOf('.');
  const whole = point < 0 ? text : text.slice(0, point);
  const all = (whole + (point < 0 ? '' : text.slice(point + 1))).replace(/0+$/, '');
  const leading = all.length - all.replace(/^0+/, '').length;
  return [all.slice(leading), whole.length - 1 - leading];
}

function layout(negative: boolean, digits: string, exponent: number): string {
  const sign = negative ? '-' : '';
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1) || '0';
    return `${sign}${whole}.${fraction}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  return undefined;
}

/** Java's `Double.toString(value)`. */
export function javaDoubleToString(value: number): string {
  const text = special(value);
  if (text !== undefined) return text;
  const magnitude = Math.abs(value);
  const [digits, exponent] =
    Number.isInteger(magnitude) && magnitude < TWO_TO_63
      ? integerDigits(magnitude, 53)
      : shortestDoubleDigits(magnitude);
  return layout(value < 0, digits, exponent);
}

/** Java's `Float.toString(value)`, for a value first rounded to float32. */
export function javaFloatToString(value: number): string {
  const float = Math.fround(value);
  const text = special(float);
  if (text !== undefined) return text;
  const magnitude = Math.abs(float);
  const [digits, exponent] =
    Number.isInteger(magnitude) && magnitude < TWO_TO_63
      ? integerDigits(magnitude, 24)
      : shortestFloatDigits(magnitude);
  return layout(float < 0, digits, exponent);
}
