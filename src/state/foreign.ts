/**
 * Records in a state topic that pipe cannot read: not UTF-8, not JSON, or
 * JSON of another shape (a Kafka Connect cluster sharing the topic, another
 * tool, a hand-written record). Every reader treats them the same way: the
 * record is skipped as if it were not there, with a warning naming its topic,
 * partition and offset, and later records of the same key (a tombstone
 * included) count as usual. See docs/RELIABILITY.md.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Check } from './guards.js';

/** Where a record sits in its topic. */
export interface RecordPlace {
  topic: string;
  partition: number;
  offset: string;
}

/** The typed problem a decoder returns for a record it cannot read. */
export interface ForeignRecord extends RecordPlace {
  /** The record's key as text, shortened and with control characters escaped; `(null)` for none. */
  key: string;
  reason: string;
}

export type Decoded<T> = { ok: true; record: T } | { ok: false; foreign: ForeignRecord };

const KEY_SHOWN = 120;

/** A key as a user can read it in a warning: printable, and short even when the key is a megabyte of noise. */
export function keyText(key: Buffer | null): string {
  if (key === null) return '(null)';
  const text = key.toString('utf8');
  const escaped = [...text]
    .map((c) => (/[\p{Cc}\p{Co}\p{Cs}\u{FFFD}]/u.test(c) ? JSON.stringify(c).slice(1, -1) : c))
    .join('');
  return escaped.length > KEY_SHOWN ? `${escaped.slice(0, KEY_SHOWN)}…` : escaped;
}

export function foreign<T>(place: RecordPlace, key: Buffer | null, reason: string): Decoded<T> {
  return { ok: false, foreign: { ...place, key: keyText(key), reason } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The value as JSON, or why it is not JSON. */
export function parseJson(value: Buffer): { json: unknown } | { reason: string } {
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return { reason: 'the value is not UTF-8' };
  }
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { reason: 'the value is not JSON' };
  }
}

/** Decodes a JSON value of a known shape, or says which field does not fit. */
export function decodeJson<T>(
  place: RecordPlace,
  key: Buffer | null,
  value: Buffer,
  check: Check,
  what: string,
): Decoded<T> {
  const parsed = parseJson(value);
  if ('reason' in parsed) return foreign(place, key, parsed.reason);
  const why = check(parsed.json, '');
  if (why !== undefined) return foreign(place, key, `not ${what}: ${why}`);
  // The check above is the proof of this cast: it covers every field of T that readers use.
  return { ok: true, record: parsed.json as T };
}

/** The one wording of the warning every reader gives for a skipped record. */
export function foreignRecordWarning(f: ForeignRecord): string {
  return `skipped a record pipe cannot read in ${f.topic} partition ${f.partition} offset ${f.offset} (key ${f.key}): ${f.reason}; later records of that key still count`;
}

/** The same warning as a diagnostic, for the reports that carry diagnostics (plan, status). */
export function foreignRecordDiagnostic(f: ForeignRecord): Diagnostic {
  return { severity: 'warning', code: 'FOREIGN_RECORD', summary: foreignRecordWarning(f) };
}
