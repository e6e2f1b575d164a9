/**
 * `unwrap`: Debezium's ExtractNewRecordState. A change event's envelope
 * (`before`, `after`, `source`, `op`, …) becomes the row it describes, built
 * from Connect's ExtractField and InsertField as Debezium builds it.
 *
 * Deletes and tombstones: `delete.tombstone.handling.mode` (Debezium 2.5+:
 * `tombstone`, `drop`, `rewrite`, `rewrite-with-tombstone`, and 3.x's
 * `delete-to-tombstone`) or, when it is absent, as Debezium 2.x reads them,
 * the settings it replaced: `delete.handling.mode` (`drop`, the default;
 * `rewrite`; `none`) with `drop.tombstones` (default true). Checked against
 * vectors from Debezium 2.7.3, the last release with both.
 */

import type { ConnectField, ConnectSchema } from '../converters/data/schema.js';
import { isPlainObject } from '../converters/data/validate.js';
import { present } from '../invariant.js';
import { TransformConfig } from './config.js';
import {
  asField,
  dataError,
  fieldOf,
  fieldValue,
  requireStruct,
  schemaBasics,
  setOwn,
  structSchema,
} from './data.js';
import { extractField } from './extract-field.js';
import { insertField } from './insert-field.js';
import {
  type Side,
  type Transformation,
  type TransformHeader,
  type TransformRecord,
  VALUE,
} from './record.js';

const MODES = ['tombstone', 'drop', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'] as const;
type DeleteMode = 'drop' | 'none' | 'rewrite' | 'to-tombstone';

interface Handling {
  keepTombstones: boolean;
  deletes: DeleteMode;
}

function handling(config: TransformConfig): Handling {
  if (config.has('delete.tombstone.handling.mode')) {
    const mode = config.oneOf('delete.tombstone.handling.mode', MODES);
    return {
      keepTombstones: mode === 'rewrite-with-tombstone',
      deletes:
        mode === 'tombstone'
          ? 'none'
          : mode === 'delete-to-tombstone'
            ? 'to-tombstone'
            : mode === 'drop'
              ? 'drop'
              : 'rewrite',
    };
  }
  // Debezium 2.x reads the older settings when the new one is absent, with their defaults: deletes and tombstones dropped.
  return {
    keepTombstones: !config.boolean('drop.tombstones', true),
    deletes: config.oneOf('delete.handling.mode', ['drop', 'rewrite', 'none'], 'drop'),
  };
}

/** Debezium's FieldReference: `op`, `source.ts_ms`, `table`, `field:NEW_NAME`. */
interface FieldReference {
  struct: string | undefined;
  field: string;
  newField: string;
}

const TOP_LEVEL = new Set(['op', 'ts_ms', 'ts_us', 'ts_ns']);
const TRANSACTION = new Set(['id', 'total_order', 'data_collection_order']);

function fieldReferences(prefix: string, text: string | undefined): FieldReference[] {
  if (text === undefined || text === '') return [];
  return text.split(',').map((raw) => {
    const spec = raw.trim();
    const parts = spec.split(':');
    if (parts.length > 2) throw new Error(`Unexpected field name: ${spec}`);
    const splits = present(parts[0], 'field name').split('.');
    const field = present(splits.length === 1 ? splits[0] : splits[1], 'field name');
    const struct =
      splits.length === 1
        ? TOP_LEVEL.has(field)
          ? undefined
          : TRANSACTION.has(field)
            ? 'transaction'
            : field === 'updateDescription'
              ? 'updateDescription'
              : 'source'
        : present(splits[0], 'struct name');
    const newField =
      prefix +
      (parts.length === 2
        ? present(parts[1], 'new field name')
        : splits.length === 1
          ? field
          : `${struct}_${field}`);
    return { struct, field, newField };
  });
}

/** The schema an added field or header gets: the envelope field's basics, optional. */
function referenceSchema(ref: FieldReference, envelope: ConnectSchema): ConnectSchema | undefined {
  const parent = ref.struct === undefined ? envelope : fieldOf(envelope, ref.struct);
  const field = (parent && fieldOf(parent, ref.field)) ?? fieldOf(envelope, ref.field);
  if (!field) return undefined;
  const schema: ConnectSchema = { type: field.type, optional: true, ...schemaBasics(field) };
  if (field.type === 'array') schema.items = present(field.items, `array schema items of ${ref.field}`);
  if (field.type === 'map') {
    schema.keys = present(field.keys, `map schema keys of ${ref.field}`);
    schema.values = present(field.values, `map schema values of ${ref.field}`);
  }
  if (field.type === 'struct') schema.fields = [];
  return schema;
}

function referenceValue(
  ref: FieldReference,
  envelope: ConnectSchema,
  value: Record<string, unknown>,
): unknown {
  const structField = ref.struct === undefined ? undefined : fieldOf(envelope, ref.struct);
  const parent =
    ref.struct === undefined ? value : structField ? fieldValue(value, structField, false) : null;
  if (parent === null || !isPlainObject(parent)) return null;
  // With ref.struct set, parent is null (returned above) unless structField was found.
  const parentSchema = structField ?? envelope;
  const own = fieldOf(parentSchema, ref.field);
  if (own) return fieldValue(parent, own, false);
  const top = fieldOf(envelope, ref.field);
  return top ? fieldValue(value, top, false) : null;
}

export function unwrap(config: TransformConfig): Transformation {
  const mode = handling(config);
  const withDefault = config.boolean('replace.null.with.default', true);
  let fields: FieldReference[];
  let headers: FieldReference[];
  try {
    fields = fieldReferences(config.string('add.fields.prefix', '__'), config.string('add.fields'));
    headers = fieldReferences(config.string('add.headers.prefix', '__'), config.string('add.headers'));
  } catch (err) {
    throw config.error('add.fields', (err as Error).message);
  }
  const inner = (values: Record<string, unknown>) => new TransformConfig(values, 'unwrap');
  const after = extractField(VALUE, inner({ field: 'after' }));
  const before = extractField(VALUE, inner({ field: 'before' }));
  const deleted = (flag: string) =>
    insertField(
      VALUE,
      inner({ 'static.field': '__deleted', 'static.value': flag, 'replace.null.with.default': withDefault }),
    );
  const removed = deleted('true');
  const updated = deleted('false');
  const addedSchemas = new WeakMap<ConnectSchema, Map<string, ConnectSchema>>();

  const addFields = <R extends TransformRecord>(original: TransformRecord, unwrapped: R): R => {
    // Debezium rebuilds the row even with nothing to add: its schema is copied (name, version, doc), so not optional.
    const envelope = present(original.valueSchema, 'envelope schema');
    const envelopeValue = original.value as Record<string, unknown>;
    const valueSchema = unwrapped.valueSchema;
    if (valueSchema === null)
      throw dataError('Only Struct objects supported for [source field insertion], found: null');
    const value = requireStruct(valueSchema, unwrapped.value, 'source field insertion');
    const op = String(envelopeValue['op'] ?? '');
    let byOp = addedSchemas.get(valueSchema);
    if (!byOp) {
      byOp = new Map();
      addedSchemas.set(valueSchema, byOp);
    }
    let schema = byOp.get(op);
    if (!schema) {
      const list: ConnectField[] = [...(valueSchema.fields ?? [])];
      for (const ref of fields) {
        const s = referenceSchema(ref, envelope);
        if (s) list.push(asField(ref.newField, s));
      }
      schema = structSchema(list, schemaBasics(valueSchema));
      byOp.set(op, schema);
    }
    const out: Record<string, unknown> = {};
    for (const f of valueSchema.fields ?? []) setOwn(out, f.field, fieldValue(value, f, false));
    for (const ref of fields)
      if (referenceSchema(ref, envelope))
        setOwn(out, ref.newField, referenceValue(ref, envelope, envelopeValue));
    return { ...unwrapped, valueSchema: schema, value: out };
  };

  const withHeaders = <R extends TransformRecord>(record: R): R => {
    if (headers.length === 0) return record;
    const added: TransformHeader[] = [];
    if (record.value === null || record.value === undefined) {
      for (const ref of headers)
        if (ref.field === 'op')
          added.push({ key: ref.newField, schema: { type: 'string', optional: false }, value: 'd' });
    } else {
      if (record.valueSchema?.type !== 'struct' || !isPlainObject(record.value))
        throw dataError('add.headers needs a struct value: the record is no change event');
      const envelope = record.valueSchema;
      for (const ref of headers) {
        const schema = referenceSchema(ref, envelope);
        if (schema)
          added.push({
            key: ref.newField,
            schema,
            value: referenceValue(ref, envelope, record.value as Record<string, unknown>),
          });
      }
    }
    return { ...record, headers: [...(record.headers ?? []), ...added] };
  };

  const side: Side = VALUE;
  return {
    apply(input) {
      const tombstone = input.value === null || input.value === undefined;
      const valid = input.valueSchema?.name?.endsWith('.Envelope') === true;
      // Debezium 2.7 adds the headers before it looks at the record, so a record that is no change event gets them too.
      const record = withHeaders(input);
      if (tombstone) return mode.keepTombstones ? record : null;
      if (!valid) return record;
      const afterRecord = present(after.apply(record), 'record from ExtractField(after)');
      if (side.value(afterRecord) === null) {
        const beforeRecord = present(before.apply(record), 'record from ExtractField(before)');
        if (beforeRecord.value === null) return null;
        let result: typeof record | null;
        switch (mode.deletes) {
          case 'drop':
            return null;
          case 'none':
            result = afterRecord;
            break;
          case 'to-tombstone':
            result = { ...record, valueSchema: null, value: null };
            break;
          case 'rewrite':
            result = isPlainObject(beforeRecord.value) ? removed.apply(beforeRecord) : beforeRecord;
            break;
        }
        return result !== null && result.value !== null ? addFields(record, result) : result;
      }
      const row =
        mode.deletes === 'rewrite' && isPlainObject(afterRecord.value)
          ? present(updated.apply(afterRecord), 'record from InsertField(__deleted)')
          : afterRecord;
      return addFields(record, row);
    },
  };
}
