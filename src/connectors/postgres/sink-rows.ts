/**
 * A sink record as a row: its key columns (by `pk.mode`) and value columns,
 * each a value in PostgreSQL text. Which columns a record gives, with the
 * Connect schema each came from (for `auto.create`), is its row's shape:
 * worked out once for all the records of a key and value schema, so a row
 * is only its texts. A record that cannot become a row throws a
 * RecordError, which the sink reports as that record's failure, not the
 * task's.
 */
import { type ConnectField, type ConnectSchema, Schemas } from '../../converters/index.js';
import { present } from '../../invariant.js';
import type { SinkRecord } from '../api.js';
import { KAFKA_PK_FIELDS, RECORD_KEY_FIELD, type SinkSettings } from './sink-config.js';
import { pgTextOf } from './type-mapping.js';

/** The columns of the rows of one key and value schema: key columns first, then value columns. */
export interface RowShape {
  names: string[];
  /** Each column's Connect schema; null for a schemaless record's. */
  schemas: Array<ConnectSchema | null>;
  keyCount: number;
  /** Each name's place in `names`. */
  index: Map<string, number>;
}

export interface SinkRow {
  record: SinkRecord;
  /** A tombstone with `delete.enabled`: the row with this key goes. */
  delete: boolean;
  shape: RowShape;
  /** One text per column of the shape, in its order. */
  texts: Array<string | null>;
  /** The key texts as one string, to keep only a key's last record of a batch; empty for inserts. */
  identity: string;
}

export class RecordError extends Error {
  override name = 'RecordError';
}

type Text = (value: unknown) => string | null;

/** A column: its value read from the record (a field of its key or value, all of its key, a Kafka coordinate) as text. */
interface Column {
  name: string;
  schema: ConnectSchema | null;
  read: (record: SinkRecord) => unknown;
  text: Text;
}

interface Plan {
  shape: RowShape;
  columns: Column[];
}

const KAFKA_SCHEMAS = [Schemas.string(), Schemas.int32(), Schemas.int64()];
const KAFKA_READS: Array<Column['read']> = [(r) => r.topic, (r) => String(r.partition), (r) => r.offset];
const asText: Text = (v) => v as string;

/**
 * Turns records into rows. The plan of the last record's schemas is kept:
 * a topic's records mostly share them, and a row then costs its texts only.
 * Schemaless records (JSON objects) are planned one by one.
 */
export class RowBuilder {
  private last:
    | { keySchema: ConnectSchema | null; valueSchema: ConnectSchema | null; tombstone: boolean; plan: Plan }
    | undefined;

  constructor(private readonly s: SinkSettings) {}

  row(record: SinkRecord): SinkRow | null {
    const tombstone = record.value === null;
    if (tombstone && !this.s.deleteEnabled) return null;
    // Checked for every record: a key or value may be null under the schema of the last one.
    if (this.s.pkMode === 'record_key' && (record.key === null || record.key === undefined))
      throw new RecordError('pk.mode record_key needs a record key, and this record has none');
    if (this.s.pkMode === 'record_value' && tombstone)
      throw new RecordError('pk.mode record_value cannot key a tombstone');
    const plan = this.planOf(record, tombstone);
    const { columns } = plan;
    const texts: Array<string | null> = new Array(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i] as Column;
      texts[i] = c.text(c.read(record));
    }
    // Only upserts, updates and deletes keep a key's last record; inserts write every one.
    const identity =
      tombstone || this.s.insertMode !== 'insert' ? identityOf(texts, plan.shape.keyCount) : '';
    return { record, delete: tombstone, shape: plan.shape, texts, identity };
  }

  private planOf(record: SinkRecord, tombstone: boolean): Plan {
    const { keySchema, valueSchema } = record;
    const last = this.last;
    if (
      last &&
      last.keySchema === keySchema &&
      last.valueSchema === valueSchema &&
      last.tombstone === tombstone
    )
      return last.plan;
    const plan = makePlan(record, tombstone, this.s);
    // Only a plan made from schemas holds for the next record of the same schemas.
    if (this.cacheable(record, tombstone)) this.last = { keySchema, valueSchema, tombstone, plan };
    return plan;
  }

  private cacheable(record: SinkRecord, tombstone: boolean): boolean {
    const keyRead = this.s.pkMode === 'record_key';
    return (!keyRead || record.keySchema !== null) && (tombstone || record.valueSchema !== null);
  }
}

function identityOf(texts: Array<string | null>, keyCount: number): string {
  let identity = '';
  for (let i = 0; i < keyCount; i++) identity += `${i === 0 ? '' : '\u0001'}${texts[i] ?? '\u0000null'}`;
  return identity;
}

function makePlan(record: SinkRecord, tombstone: boolean, s: SinkSettings): Plan {
  const key = keyColumns(record, s);
  const keyNames = new Set(key.map((c) => c.name));
  const whitelist = s.fieldsWhitelist;
  const values = tombstone
    ? []
    : fieldsOf(
        record.value,
        record.valueSchema,
        'value',
        (name) => !keyNames.has(name) && (!whitelist || whitelist.includes(name)),
      );
  const columns = [...key, ...values];
  const names = columns.map((c) => c.name);
  return {
    columns,
    shape: {
      names,
      schemas: columns.map((c) => c.schema),
      keyCount: key.length,
      index: new Map(names.map((name, i) => [name, i])),
    },
  };
}

function keyColumns(record: SinkRecord, s: SinkSettings): Column[] {
  switch (s.pkMode) {
    case 'none':
      return [];
    case 'kafka': {
      const names = s.pkFields.length === 3 ? s.pkFields : KAFKA_PK_FIELDS;
      return names.map((name, i) => ({
        name,
        schema: present(KAFKA_SCHEMAS[i], `the schema of ${name}`),
        read: present(KAFKA_READS[i], `the Kafka coordinate for ${name}`),
        text: asText,
      }));
    }
    case 'record_key': {
      if (!isStructured(record.key, record.keySchema)) {
        const name = s.pkFields[0] ?? RECORD_KEY_FIELD;
        const schema = record.keySchema;
        return [{ name, schema, read: (r) => r.key, text: pgTextOf(schema) }];
      }
      return pick(fieldsOf(record.key, record.keySchema, 'key'), s.pkFields, 'key');
    }
    case 'record_value':
      return pick(fieldsOf(record.value, record.valueSchema, 'value'), s.pkFields, 'value');
  }
}

function isStructured(value: unknown, schema: ConnectSchema | null): boolean {
  return schema ? schema.type === 'struct' : value instanceof Map;
}

function pick(columns: Column[], names: string[], what: string): Column[] {
  if (names.length === 0) return columns;
  return names.map((name) => {
    const column = columns.find((c) => c.name === name);
    if (!column) throw new RecordError(`the record's ${what} has no field ${name} (named by pk.fields)`);
    return column;
  });
}

/** A struct's fields, or a schemaless JSON object's entries, as columns: those `keep` keeps, or all. */
function fieldsOf(
  value: unknown,
  schema: ConnectSchema | null,
  from: 'key' | 'value',
  keep?: (name: string) => boolean,
): Column[] {
  const columns: Column[] = [];
  if (schema) {
    if (schema.type !== 'struct')
      throw new RecordError(`the record's ${from} is a ${schema.type}, not a struct: it has no columns`);
    for (const field of schema.fields as ConnectField[]) {
      const name = field.field;
      if (keep && !keep(name)) continue;
      const read =
        from === 'key'
          ? (r: SinkRecord) => (r.key as Record<string, unknown>)[name]
          : (r: SinkRecord) => (r.value as Record<string, unknown>)[name];
      columns.push({ name, schema: field, read, text: pgTextOf(field) });
    }
    return columns;
  }
  if (!(value instanceof Map))
    throw new RecordError(`the record's ${from} is not a JSON object (or a struct): it has no columns`);
  const text = pgTextOf(null);
  // Planned for this record alone: its own entries are read, by their own keys.
  for (const [k, v] of value as Map<unknown, unknown>) {
    const name = String(k);
    if (!keep || keep(name)) columns.push({ name, schema: null, read: () => v, text });
  }
  return columns;
}
