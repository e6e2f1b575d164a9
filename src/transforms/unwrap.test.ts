import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../converters/json-converter.js';
import type { TransformRecord } from './record.js';
import { createTransform } from './registry.js';

const row = (optional: boolean) => ({
  type: 'struct',
  optional,
  name: 'db.inventory.customers.Value',
  fields: [
    { type: 'int32', optional: false, field: 'id' },
    { type: 'string', optional: true, field: 'email' },
  ],
});
const envelopeSchema = {
  type: 'struct',
  optional: false,
  name: 'db.inventory.customers.Envelope',
  version: 2,
  fields: [
    { ...row(true), field: 'before' },
    { ...row(true), field: 'after' },
    {
      type: 'struct',
      optional: false,
      name: 'io.debezium.connector.postgresql.Source',
      field: 'source',
      fields: [
        { type: 'string', optional: false, field: 'table' },
        { type: 'int64', optional: false, field: 'ts_ms' },
      ],
    },
    { type: 'string', optional: false, field: 'op' },
    { type: 'int64', optional: true, field: 'ts_ms' },
  ],
};

const converter = new JsonConverter({ schemasEnable: true });

/** A change event as Debezium's JSON, read by pipe's JsonConverter. */
function event(op: string, before: object | null, after: object | null): TransformRecord {
  const text = JSON.stringify({
    schema: envelopeSchema,
    payload: {
      before,
      after,
      source: { table: 'customers', ts_ms: 1700000000000 },
      op,
      ts_ms: 1700000000500,
    },
  });
  const { schema, value } = converter.toConnectData('db.inventory.customers', Buffer.from(text));
  return {
    topic: 'db.inventory.customers',
    keySchema: null,
    key: 1,
    valueSchema: schema,
    value,
    headers: [],
  };
}

const tombstone: TransformRecord = {
  topic: 't',
  keySchema: null,
  key: 1,
  valueSchema: null,
  value: null,
  headers: [],
};

function written(record: TransformRecord | null): string | null {
  if (record === null) return 'dropped';
  const bytes = converter.fromConnectData(record.topic, record.valueSchema, record.value);
  return bytes === null ? null : Buffer.from(bytes).toString();
}

const ROW =
  '{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"email"}';

describe('unwrap (Debezium ExtractNewRecordState)', () => {
  it('with tombstone handling gives the row after the change, keeps a delete as a null value and drops tombstones', () => {
    const unwrap = createTransform('unwrap', 'unwrap', { 'delete.tombstone.handling.mode': 'tombstone' });
    // The row's schema is rebuilt as Debezium does (basics copied), so it is no longer optional.
    expect(written(unwrap.apply(event('c', null, { id: 1, email: 'a@x' })))).toBe(
      `{"schema":{"type":"struct","fields":[${ROW}],"optional":false,"name":"db.inventory.customers.Value"},"payload":{"id":1,"email":"a@x"}}`,
    );
    expect(written(unwrap.apply(event('d', { id: 1, email: 'a@x' }, null)))).toBe(
      `{"schema":{"type":"struct","fields":[${ROW}],"optional":true,"name":"db.inventory.customers.Value"},"payload":null}`,
    );
    expect(unwrap.apply(tombstone)).toBeNull();
  });

  it('rewrite marks rows with __deleted and turns a delete into its old row', () => {
    const unwrap = createTransform('unwrap', 'io.debezium.transforms.ExtractNewRecordState', {
      'delete.tombstone.handling.mode': 'rewrite',
    });
    const deleted = '{"type":"string","optional":true,"field":"__deleted"}';
    expect(written(unwrap.apply(event('u', { id: 1, email: 'a' }, { id: 1, email: 'b' })))).toBe(
      `{"schema":{"type":"struct","fields":[${ROW},${deleted}],"optional":false,"name":"db.inventory.customers.Value"},"payload":{"id":1,"email":"b","__deleted":"false"}}`,
    );
    expect(written(unwrap.apply(event('d', { id: 1, email: 'b' }, null)))).toBe(
      `{"schema":{"type":"struct","fields":[${ROW},${deleted}],"optional":false,"name":"db.inventory.customers.Value"},"payload":{"id":1,"email":"b","__deleted":"true"}}`,
    );
    expect(unwrap.apply(tombstone)).toBeNull();
  });

  it('adds envelope fields as __<field> (source fields as __source_<field> when named so) and headers', () => {
    const unwrap = createTransform('unwrap', 'unwrap', {
      'delete.tombstone.handling.mode': 'tombstone',
      'add.fields': 'op,table,source.ts_ms,ts_ms:EVENT_TS',
      'add.headers': 'op',
    });
    const out = unwrap.apply(event('c', null, { id: 2, email: null }))!;
    expect(written(out)).toBe(
      `{"schema":{"type":"struct","fields":[${ROW},{"type":"string","optional":true,"field":"__op"},{"type":"string","optional":true,"field":"__table"},{"type":"int64","optional":true,"field":"__source_ts_ms"},{"type":"int64","optional":true,"field":"__EVENT_TS"}],"optional":false,"name":"db.inventory.customers.Value"},"payload":{"id":2,"email":null,"__op":"c","__table":"customers","__source_ts_ms":1700000000000,"__EVENT_TS":1700000000500}}`,
    );
    expect(out.headers).toEqual([{ key: '__op', schema: { type: 'string', optional: true }, value: 'c' }]);
    expect(unwrap.apply(tombstone)).toBeNull();
  });

  it('reads the settings Debezium had before 2.5: drop.tombstones and delete.handling.mode', () => {
    const keep = createTransform('unwrap', 'unwrap', {
      'drop.tombstones': 'false',
      'delete.handling.mode': 'drop',
    });
    expect(keep.apply(tombstone)).toBe(tombstone);
    expect(keep.apply(event('d', { id: 1, email: null }, null))).toBeNull();
    const byDefault = createTransform('unwrap', 'unwrap', {});
    expect(byDefault.apply(event('d', { id: 1, email: null }, null))).toBeNull();
    expect(byDefault.apply(tombstone)).toBeNull();
    const none = createTransform('unwrap', 'unwrap', { 'delete.handling.mode': 'none' });
    expect(none.apply(event('d', { id: 1, email: null }, null))?.value).toBeNull();
    expect(none.apply(tombstone)).toBeNull();
  });

  it('passes records that are not change events through unchanged, and drops truncates', () => {
    const unwrap = createTransform('unwrap', 'unwrap', {});
    const plain: TransformRecord = {
      ...tombstone,
      valueSchema: { type: 'string', optional: false },
      value: 'x',
    };
    expect(unwrap.apply(plain)).toBe(plain);
    expect(unwrap.apply(event('t', null, null))).toBeNull();
  });
});
