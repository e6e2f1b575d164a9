/**
 * What a transform sees: the fields Kafka Connect's `ConnectRecord` has, so
 * source records (no partition or offset yet) and sink records both pass.
 * Transforms return a new record and never change the one they were given.
 */
import type { ConnectSchema } from '../converters/data/schema.js';

export interface TransformHeader {
  key: string;
  schema: ConnectSchema | null;
  value: unknown;
}

export interface TransformRecord {
  topic: string;
  /** Connect's `kafkaPartition()`: known for sink records; a source record has none. */
  partition?: number | null;
  /** Sink records only: the Kafka offset as the broker's decimal string. */
  offset?: string;
  /** Epoch milliseconds; absent when the record has none. */
  timestamp?: number;
  keySchema: ConnectSchema | null;
  key: unknown;
  valueSchema: ConnectSchema | null;
  value: unknown;
  headers?: TransformHeader[];
}

export interface Transformation {
  /** The transformed record, or null to drop it. Throws `TRANSFORM_DATA` for a record it cannot handle. */
  apply<R extends TransformRecord>(record: R): R | null;
}

export interface Predicate {
  test(record: TransformRecord): boolean;
}

/** The key or the value of a record: what a `$Key` or `$Value` variant works on. */
export interface Side {
  readonly name: 'Key' | 'Value';
  schema(record: TransformRecord): ConnectSchema | null;
  value(record: TransformRecord): unknown;
  with<R extends TransformRecord>(record: R, schema: ConnectSchema | null, value: unknown): R;
}

export const KEY: Side = {
  name: 'Key',
  schema: (r) => r.keySchema,
  value: (r) => r.key,
  with: (r, schema, value) => ({ ...r, keySchema: schema, key: value }),
};

export const VALUE: Side = {
  name: 'Value',
  schema: (r) => r.valueSchema,
  value: (r) => r.value,
  with: (r, schema, value) => ({ ...r, valueSchema: schema, value }),
};
