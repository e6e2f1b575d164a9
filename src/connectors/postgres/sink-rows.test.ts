import { describe, expect, it } from 'vitest';
import type { PostgresSinkConfig } from '../../config/types.gen.js';
import { Schemas } from '../../converters/index.js';
import type { SinkRecord } from '../api.js';
import { sinkSettings } from './sink-config.js';
import { RecordError, RowBuilder } from './sink-rows.js';

const keySchema = Schemas.struct({ id: Schemas.int64() });
const valueSchema = Schemas.struct({
  id: Schemas.int64(),
  name: Schemas.optional(Schemas.string()),
  at: Schemas.optional(Schemas.timestamp()),
});

function builder(config: Partial<PostgresSinkConfig>): RowBuilder {
  return new RowBuilder(sinkSettings({ connection: 'postgres://u@h/d', ...config }, 'c'));
}

function record(over: Partial<SinkRecord>): SinkRecord {
  return {
    topic: 't',
    partition: 3,
    offset: '7',
    timestamp: 0,
    keySchema,
    key: { id: 1n },
    valueSchema,
    value: { id: 1n, name: 'a', at: new Date(0) },
    headers: [],
    ...over,
  };
}

describe('postgres sink rows', () => {
  it('writes key columns, then the value columns not in the key, as PostgreSQL text', () => {
    const row = builder({ 'pk.mode': 'record_key', 'insert.mode': 'upsert' }).row(record({}))!;
    expect(row.shape.names).toEqual(['id', 'name', 'at']);
    expect(row.shape.keyCount).toBe(1);
    expect(row.texts).toEqual(['1', 'a', '1970-01-01T00:00:00.000Z']);
    expect(row.identity).toBe('1');
  });

  it('shares one shape among the records of one schema pair, and takes a new one when a schema changes', () => {
    const rows = builder({ 'pk.mode': 'kafka' });
    const a = rows.row(record({}))!;
    const b = rows.row(record({ offset: '8', value: { id: 2n, name: null, at: null } }))!;
    expect(b.shape).toBe(a.shape);
    expect(b.texts).toEqual(['t', '3', '8', '2', null, null]);
    const other = Schemas.struct({ id: Schemas.int64() });
    const c = rows.row(record({ valueSchema: other, value: { id: 3n } }))!;
    expect(c.shape.names).toEqual(['__connect_topic', '__connect_partition', '__connect_offset', 'id']);
    expect(c.identity).toBe('');
  });

  it('checks every record for its key, also under the schemas of the record before', () => {
    const rows = builder({ 'pk.mode': 'record_key', 'insert.mode': 'upsert', 'delete.enabled': true });
    rows.row(record({}));
    expect(() => rows.row(record({ key: null }))).toThrow(RecordError);
    const tombstone = rows.row(record({ value: null }))!;
    expect(tombstone.delete).toBe(true);
    expect(tombstone.shape.names).toEqual(['id']);
    expect(rows.row(record({}))!.shape.names).toEqual(['id', 'name', 'at']);
  });

  it('plans schemaless JSON objects one by one, by their own entries', () => {
    const rows = builder({ 'pk.mode': 'record_value', 'pk.fields': ['id'] });
    const a = rows.row(
      record({
        valueSchema: null,
        value: new Map<string, unknown>([
          ['id', 1n],
          ['x', 'y'],
        ]),
      }),
    )!;
    const b = rows.row(
      record({
        valueSchema: null,
        value: new Map<string, unknown>([
          ['id', 2n],
          ['z', true],
        ]),
      }),
    )!;
    expect([a.shape.names, a.texts]).toEqual([
      ['id', 'x'],
      ['1', 'y'],
    ]);
    expect([b.shape.names, b.texts]).toEqual([
      ['id', 'z'],
      ['2', 'true'],
    ]);
    expect(() => rows.row(record({ valueSchema: null, value: new Map([['x', 1]]) }))).toThrow(
      "the record's value has no field id (named by pk.fields)",
    );
  });

  it('keys a primitive key as one column, and refuses values without columns', () => {
    const rows = builder({ 'pk.mode': 'record_key', 'insert.mode': 'upsert' });
    const row = rows.row(record({ keySchema: Schemas.string(), key: 'k' }))!;
    expect([row.shape.names[0], row.texts[0], row.identity]).toEqual(['__connect_key', 'k', 'k']);
    expect(() => rows.row(record({ valueSchema: Schemas.string(), value: 'v' }))).toThrow(
      "the record's value is a string, not a struct: it has no columns",
    );
  });

  it('skips tombstones without delete.enabled', () => {
    expect(builder({}).row(record({ value: null }))).toBeNull();
  });
});
