/**
 * `java.text.SimpleDateFormat` formatting in UTC, for the patterns Connect's
 * transforms take (TimestampRouter's `timestamp.format`, TimestampConverter's
 * `format`) and the ISO 8601 forms Connect writes dates as text with. A
 * pattern letter pipe does not know is an error when the pattern is read, so
 * a pipeline never writes text Connect would not.
 */
import { dataError } from './data.js';
import { datePatternParts } from './date-pattern.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MILLIS_PER_DAY = 86_400_000;

export type DateFormatter = (date: Date) => string;

const SUPPORTED = 'yMdHhKkmsSEaDuZXz';

/** Reads a pattern; throws a message naming the first letter it cannot format. */
export function compileDateFormat(pattern: string): DateFormatter {
  const parts = datePatternParts(pattern, (c) => {
    if (!SUPPORTED.includes(c)) throw new Error(`Illegal pattern character '${c}' in "${pattern}"`);
  });
  return (date) => parts.map((p) => ('literal' in p ? p.literal : field(p.letter, p.count, date))).join('');
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}

/** A month or day name; only a Date outside JavaScript's range (NaN fields) has none. */
function nameOf(names: readonly string[], index: number, d: Date): string {
  const name = names[index];
  if (name === undefined) throw dataError(`Cannot format a date outside the supported range: ${d.getTime()}`);
  return name;
}

function field(letter: string, count: number, d: Date): string {
  switch (letter) {
    case 'y': {
      const year = d.getUTCFullYear();
      // Java's era year: 1 BC is year 1, with era G; only the number is written.
      const era = year <= 0 ? 1 - year : year;
      return count === 2 ? pad(era % 100, 2) : pad(era, count);
    }
    case 'M':
      if (count >= 4) return nameOf(MONTHS, d.getUTCMonth(), d);
      if (count === 3) return nameOf(MONTHS, d.getUTCMonth(), d).slice(0, 3);
      return pad(d.getUTCMonth() + 1, count);
    case 'd':
      return pad(d.getUTCDate(), count);
    case 'H':
      return pad(d.getUTCHours(), count);
    case 'k':
      return pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), count);
    case 'K':
      return pad(d.getUTCHours() % 12, count);
    case 'h':
      return pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, count);
    case 'm':
      return pad(d.getUTCMinutes(), count);
    case 's':
      return pad(d.getUTCSeconds(), count);
    case 'S':
      return pad(d.getUTCMilliseconds(), count);
    case 'E':
      return count >= 4 ? nameOf(DAYS, d.getUTCDay(), d) : nameOf(DAYS, d.getUTCDay(), d).slice(0, 3);
    case 'u':
      return pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), count);
    case 'a':
      return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'D': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      return pad(Math.floor((d.getTime() - start) / MILLIS_PER_DAY) + 1, count);
    }
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
  }
}

const ISO_TIME = compileDateFormat("HH:mm:ss.SSS'Z'");
const ISO_DATE = compileDateFormat('yyyy-MM-dd');
const ISO_TIMESTAMP = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

/**
 * Connect's `Values.dateFormatFor(date).format(date)`: a time of day, a date,
 * or a timestamp, told apart by the value. Connect formats in the JVM's time
 * zone; pipe in UTC, which is what a Connect worker running in UTC writes.
 */
export function formatDateValue(date: Date): string {
  const millis = date.getTime();
  if (millis < MILLIS_PER_DAY) return ISO_TIME(date);
  if (millis % MILLIS_PER_DAY === 0) return ISO_DATE(date);
  return ISO_TIMESTAMP(date);
}
