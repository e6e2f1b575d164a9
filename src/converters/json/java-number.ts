/**
 * Numbers printed the way Jackson prints them for Kafka Connect, which is
 * Java's `Double.toString` / `Float.toString`: the shortest digits that read
 * back to the same value (at least two when one would do, as the JDK's
 * specification asks), plain between 10^-3 and 10^7, otherwise `d.dddE±n`,
 * and always a fractional part (`3.0`, `1.0E-300`).
 */

/** Shortest significant digits (no trailing zeros) and decimal exponent of a positive finite double. */
function shortestDoubleDigits(magnitude: number): [string, number] {
  let [digits, exponent] = splitExponential(magnitude.toExponential());
  if (digits.length === 1) {
    // Java chooses among one- and two-digit decimals the closest, which may be two digits (4.9E-324, not 5E-324).
    const [two, twoExponent] = splitExponential(magnitude.toExponential(1));
    if (Number(magnitude.toExponential(1)) === magnitude) [digits, exponent] = [two, twoExponent];
  }
  return [digits, exponent];
}

/** Shortest digits that read back, through float32 rounding, to the same float. */
function shortestFloatDigits(magnitude: number): [string, number] {
  for (let precision = 2; precision < 9; precision++) {
    const text = magnitude.toExponential(precision - 1);
    if (Math.fround(Number(text)) === magnitude) return splitExponential(text);
  }
  return splitExponential(magnitude.toExponential(8));
}

function splitExponential(text: string): [string, number] {
  const e = text.indexOf('e');
  const digits = text.slice(0, e).replace('.', '').replace(/0+$/, '') || '0';
  return [digits, Number(text.slice(e + 1))];
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
  const [digits, exponent] = shortestDoubleDigits(Math.abs(value));
  return layout(value < 0, digits, exponent);
}

/** Java's `Float.toString(value)`, for a value first rounded to float32. */
export function javaFloatToString(value: number): string {
  const float = Math.fround(value);
  const text = special(float);
  if (text !== undefined) return text;
  const [digits, exponent] = shortestFloatDigits(Math.abs(float));
  return layout(float < 0, digits, exponent);
}
