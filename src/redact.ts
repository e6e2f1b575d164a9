/**
 * Secret values never leave the process in text. Every value pipe resolves
 * from a `${env:…}` or `${file:…}` reference of a connector is remembered
 * here with its reference, and `redact` puts the reference back wherever the
 * value shows up. It is applied where an error becomes text (`messageOf`,
 * `traceOf` in errors.ts: what status records, dead letters and logs carry)
 * and where the CLI writes (cli/output.ts), so a file sink failing on
 * `/data/dir-hunter2` reports `/data/dir-${env:DB_PASSWORD}`.
 */

/**
 * Shorter values are not redacted: replacing every `a` or `42` in every
 * message would make them unreadable while hiding nothing a guess would not
 * find. docs/RELIABILITY.md says so.
 */
const MIN_REDACTED_LENGTH = 4;

/** value → the reference it was resolved from. */
const secrets = new Map<string, string>();
let ordered: Array<[string, string]> = [];

export function rememberSecret(value: string, reference: string): void {
  if (value.length < MIN_REDACTED_LENGTH) return;
  const variants = [value, JSON.stringify(value).slice(1, -1)];
  let added = false;
  for (const v of variants) {
    if (secrets.get(v) === reference) continue;
    secrets.set(v, reference);
    added = true;
  }
  // Longest first, so a secret that contains another is replaced whole.
  if (added) ordered = [...secrets].sort(([a], [b]) => b.length - a.length);
}

/** The text with every remembered secret replaced by its reference. */
export function redact(text: string): string {
  let out = text;
  for (const [value, reference] of ordered) if (out.includes(value)) out = out.split(value).join(reference);
  return out;
}

/** For tests: forget every secret remembered so far. */
export function forgetSecrets(): void {
  secrets.clear();
  ordered = [];
}
