/**
 * The decoder of the offsets topic: Kafka Connect's key
 * `["<connector>",{partition}]` and a JSON object (the source offset) or a
 * tombstone. A key or value of another form is foreign: another tool's record,
 * never one of pipe's or Connect's offsets.
 */
import type { TopicRecord } from '../kafka/read-topic.js';
import { type Decoded, type ForeignRecord, foreign, parseJson, type RecordPlace } from './foreign.js';
import { isPlainObject } from './guards.js';
import { decodeOffsetKey } from './records.js';

export interface OffsetRecord {
  connector: string;
  partition: Record<string, unknown>;
  /** The key's text, which identifies the source partition byte for byte. */
  key: string;
  offset: Record<string, unknown> | null;
}

export function decodeOffsetRecord(
  place: RecordPlace,
  key: Buffer | null,
  value: Buffer | null,
): Decoded<OffsetRecord> {
  const id = key === null ? null : decodeOffsetKey(key);
  if (key === null || id === null)
    return foreign(place, key, 'the key is not ["<connector>", {partition}] in JSON');
  const base = { ...id, key: key.toString('utf8') };
  if (value === null) return { ok: true, record: { ...base, offset: null } };
  const parsed = parseJson(value);
  if ('reason' in parsed) return foreign(place, key, parsed.reason);
  if (!isPlainObject(parsed.json)) return foreign(place, key, 'the offset is not a JSON object');
  return { ok: true, record: { ...base, offset: parsed.json } };
}

/** The latest offset of each key (tombstoned keys left out), and the records skipped. */
export function foldOffsetsTopic(
  topic: string,
  records: readonly TopicRecord[],
): { offsets: Map<string, OffsetRecord>; foreign: ForeignRecord[] } {
  const offsets = new Map<string, OffsetRecord>();
  const skipped: ForeignRecord[] = [];
  for (const r of records) {
    const decoded = decodeOffsetRecord({ topic, partition: r.partition, offset: r.offset }, r.key, r.value);
    if (!decoded.ok) skipped.push(decoded.foreign);
    else if (decoded.record.offset === null) offsets.delete(decoded.record.key);
    else offsets.set(decoded.record.key, decoded.record);
  }
  return { offsets, foreign: skipped };
}
