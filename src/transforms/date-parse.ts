/**
 * `SimpleDateFormat.parse` in UTC for numeric patterns (years, months,
 * days, hours, minutes, seconds, milliseconds, literals and a Z/X zone), as
 * TimestampConverter reads string timestamps: lenient like Java's (a month
 * 13 rolls into the next year) and, like `DateFormat.parse(String)`, text
 * after the pattern is ignored.
 */

import { datePatternParts } from './date-pattern.js';

const NUMERIC = 'yMdHkKhmsSD';

function parts(pattern: string) {
  return datePatternParts(pattern, (c, count) => {
    if (!NUMERIC.includes(c) && c !== 'Z' && c !== 'X' && !(c === 'M' && count >= 3))
      throw new Error(`pipe cannot parse pattern letter '${c}' in "${pattern}"`);
    if (c === 'M' && count >= 3) throw new Error(`pipe cannot parse month names (MMM) in "${pattern}"`);
  });
}

export type DateParser = (text: string) => Date | undefined;

export function compileDateParser(pattern: string): DateParser {
  const list = parts(pattern);
  return (text) => {
    let pos = 0;
    const f: Record<string, number> & Record<'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S', number> = {
      y: 1970,
      M: 1,
      d: 1,
      H: 0,
      m: 0,
      s: 0,
      S: 0,
    };
    let offsetMinutes = 0;
    for (const [k, part] of list.entries()) {
      if ('literal' in part) {
        if (!text.startsWith(part.literal, pos)) return undefined;
        pos += part.literal.length;
        continue;
      }
      if (part.letter === 'Z' || part.letter === 'X') {
        const zone = /^(?:Z|([+-])(\d{2}):?(\d{2})?)/.exec(text.slice(pos));
        if (!zone) return undefined;
        if (zone[1])
          offsetMinutes = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0));
        pos += zone[0].length;
        continue;
      }
      const next = list[k + 1];
      // Java reads a numeric field followed directly by another one with the pattern's width.
      const fixed = next !== undefined && 'letter' in next && NUMERIC.includes(next.letter);
      const digits = (fixed ? new RegExp(`^[+-]?\\d{1,${part.count}}`) : /^[+-]?\d+/).exec(text.slice(pos));
      if (!digits) return undefined;
      pos += digits[0].length;
      const n = Number(digits[0]);
      switch (part.letter) {
        case 'y':
          f['y'] = part.count === 2 && digits[0].length <= 2 ? twoDigitYear(n) : n;
          break;
        case 'k':
          f['H'] = n === 24 ? 0 : n;
          break;
        case 'K':
        case 'h':
          f['H'] = n % 12;
          break;
        case 'D':
          f['M'] = 1;
          f['d'] = n;
          break;
        default:
          f[part.letter] = n;
      }
    }
    const millis = Date.UTC(f['y'], f['M'] - 1, f['d'], f['H'], f['m'], f['s'], f['S']);
    const utc = new Date(millis);
    // Date.UTC maps years 0–99 to 1900–1999; Java does not.
    if (f['y'] >= 0 && f['y'] < 100) utc.setUTCFullYear(utc.getUTCFullYear() - 1900);
    return new Date(utc.getTime() - offsetMinutes * 60_000);
  };
}

/** SimpleDateFormat puts a two-digit year within 80 years before and 20 after now. */
function twoDigitYear(n: number): number {
  const now = new Date().getUTCFullYear();
  const start = now - 80;
  let year = Math.floor(start / 100) * 100 + n;
  if (year < start) year += 100;
  return year;
}
