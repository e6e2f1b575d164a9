/**
 * A sink record as a row: its key columns (by `pk.mode`) and value columns,
 * each a value in PostgreSQL text with the Connect schema it came from (for
 * `auto.create`). A record that cannot become a row throws a RecordError,
 * which the sink reports as that record's failure, not the task's.
 */
import { type ConnectField, type ConnectSchema, Schemas } from '../../converters/index.js';
import { present } from '../../invariant.js';
import type { SinkRecord } from '../api.js';
import { KAFKA_PK_FIELDS, RECORD_KEY_FIELD, type SinkSettings } from './sink-config.js';
import { toPgText } from './type-mapping.js';

export interface Cell {
  text: string | null;
  schema: ConnectSchema | null;
}

export interface SinkRow {
  record: SinkRecord;
  /** A tombstone with `delete.enabled`: the row with this key goes. */
  delete: boolean;
  key: Map<string, Cell>;
  values: Map<string, Cell>;
  /** The key cells as one string, to keep only a key's last record of a batch; empty for inserts. */
  identity: string;
}

export class RecordError extends Error {
  override name = 'RecordError';
}

const KAFKA_SCHEMAS = [Schemas.string(), Schemas.int32(), Schemas.int64()];

export function toRow(record: SinkRecord, s: SinkSettings): SinkRow | null {
  const tombstone = record.value === null;
  if (tombstone && !s.deleteEnabled) return null;
  const key = keyCells(record, s);
  const whitelist = s.fieldsWhitelist;
  const values = tombstone
    ? new Map<string, Cell>()
    : fieldsOf(
        record.value,
        record.valueSchema,
        'value',
        (name) => !key.has(name) && (!whitelist || whitelist.includes(name)),
      );
  // Only upserts, updates and deletes keep a key's last record; inserts write every one.
  const identity = tombstone || s.insertMode !== 'insert' ? identityOf(key) : '';
  return { record, delete: tombstone, key, values, identity };
}

function identityOf(key: Map<string, Cell>): string {
  let identity = '';
  let first = true;
  for (const cell of key.values()) {
    identity += `${first ? '' : '\u0001'}${cell.text ?? '\u0000null'}`;
    first = false;
  }
  return identity;
}

function keyCells(record: SinkRecord, s: SinkSettings): Map<string, Cell> {
  const key = new Map<string, Cell>();
  switch (s.pkMode) {
    case 'none':
      return key;
    case 'kafka': {
      const names = s.pkFields.length === 3 ? s.pkFields : KAFKA_PK_FIELDS;
      const values = [record.topic, String(record.partition), record.offset];
      for (const [i, name] of names.entries())
        key.set(name, {
          text: present(values[i], `the Kafka coordinate for ${name}`),
          schema: present(KAFKA_SCHEMAS[i], `the schema of ${name}`),
        });
      return key;
    }
    case 'record_key': {
      if (record.key === null || record.key === undefined)
        throw new RecordError('pk.mode record_key needs a record key, and this record has none');
      if (!isStructured(record.key, record.keySchema)) {
        const name = s.pkFields[0] ?? RECORD_KEY_FIELD;
        key.set(name, { text: toPgText(record.key, record.keySchema), schema: record.keySchema });
        return key;
      }
      return pick(fieldsOf(record.key, record.keySchema, 'key'), s.pkFields, 'key');
    }
    case 'record_value':
      if (record.value === null) throw new RecordError('pk.mode record_value cannot key a tombstone');
      return pick(fieldsOf(record.value, record.valueSchema, 'value'), s.pkFields, 'value');
  }
}

function isStructured(value: unknown, schema: ConnectSchema | null): boolean {
  return schema ? schema.type === 'struct' : value instanceof Map;
}

function pick(cells: Map<string, Cell>, names: string[], what: string): Map<string, Cell> {
  if (names.length === 0) return cells;
  const out = new Map<string, Cell>();
  for (const name of names) {
    const cell = cells.get(name);
    if (!cell) throw new RecordError(`the record's ${what} has no field ${name} (named by pk.fields)`);
    out.set(name, cell);
  }
  return out;
}

/** A struct's fields, or a schemaless JSON object's entries, as cells: those `keep` keeps, or all. */
function fieldsOf(
  value: unknown,
  schema: ConnectSchema | null,
  what: string,
  keep?: (name: string) => boolean,
): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  if (schema) {
    if (schema.type !== 'struct')
      throw new RecordError(`the record's ${what} is a ${schema.type}, not a struct: it has no columns`);
    const struct = value as Record<string, unknown>;
    for (const field of schema.fields as ConnectField[])
      if (!keep || keep(field.field))
        cells.set(field.field, { text: toPgText(struct[field.field], field), schema: field });
    return cells;
  }
  if (!(value instanceof Map))
    throw new RecordError(`the record's ${what} is not a JSON object (or a struct): it has no columns`);
  for (const [k, v] of value as Map<string, unknown>) {
    const name = String(k);
    if (!keep || keep(name)) cells.set(name, { text: toPgText(v, null), schema: null });
  }
  return cells;
}
