/**
 * `Date.prototype.toISOString` by arithmetic: V8's own took 0.8-1.1 µs a
 * call, most of the PostgreSQL sink's row building (a Timestamp column per
 * record in the bench); this takes a fraction of that. Same text for years
 * 0000-9999; other instants, and invalid ones, go to toISOString itself.
 */

const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const MS_PER_DAY = 86_400_000;

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The instant `ms` milliseconds after the epoch as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function isoText(ms: number): string {
  if (!(ms >= MIN_MS && ms <= MAX_MS)) return new Date(ms).toISOString();
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // Days to a civil date: Howard Hinnant's civil_from_days, in 400-year eras from 0000-03-01.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${two(Math.floor(year / 100))}${two(year % 100)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${THREE_DIGITS[millis]}Z`;
}

function two(n: number): string {
  return TWO_DIGITS[n] as string;
}
