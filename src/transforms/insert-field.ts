/** InsertField$Key / $Value: adds fields from the record's topic, partition, offset, timestamp or a fixed value. */

import { Schemas } from '../converters/data/builders.js';
import type { ConnectField, ConnectSchema } from '../converters/data/schema.js';
import { present } from '../invariant.js';
import type { TransformConfig } from './config.js';
import {
  asField,
  checkPut,
  dataError,
  fieldValue,
  requireMap,
  requireStruct,
  SchemaCache,
  schemaBasics,
  setOwn,
  structSchema,
} from './data.js';
import { JavaHashMap } from './java-map.js';
import type { Side, Transformation, TransformRecord } from './record.js';

const PURPOSE = 'field insertion';

interface Insertion {
  name: string;
  optional: boolean;
}

/** `topic.field` and the others: a trailing `!` makes the field required, `?` (the default) optional. */
function insertion(spec: string | undefined): Insertion | undefined {
  if (spec === undefined) return undefined;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

export function insertField(side: Side, config: TransformConfig): Transformation {
  const topic = insertion(config.string('topic.field'));
  const partition = insertion(config.string('partition.field'));
  const offset = insertion(config.string('offset.field'));
  const timestamp = insertion(config.string('timestamp.field'));
  const staticField = insertion(config.string('static.field'));
  const staticValue = config.string('static.value');
  const withDefault = config.boolean('replace.null.with.default', true);
  if (!topic && !partition && !offset && !timestamp && !staticField)
    throw config.error('topic.field', 'or another *.field must be set: no field insertion configured');
  if (staticField && staticValue === undefined)
    throw config.error('static.value', `is required with static.field (${staticField.name})`);
  const schemas = new SchemaCache();

  const offsetOf = (record: TransformRecord): bigint => {
    if (record.offset === undefined)
      throw dataError(`Only SinkRecord supported for [${PURPOSE}], found: a source record`);
    return BigInt(record.offset);
  };

  /** The inserted values, in Connect's order; the timestamp as the schema or the map wants it. */
  const inserted = (record: TransformRecord, withSchema: boolean): Array<[string, unknown]> => {
    const out: Array<[string, unknown]> = [];
    if (topic) out.push([topic.name, record.topic]);
    if (partition && record.partition !== undefined && record.partition !== null)
      // Without a schema the Integer goes into the map as is; JSON writes it as an integer, as a bigint here.
      out.push([partition.name, withSchema ? record.partition : BigInt(record.partition)]);
    if (offset) out.push([offset.name, offsetOf(record)]);
    if (timestamp && record.timestamp !== undefined)
      out.push([timestamp.name, withSchema ? new Date(record.timestamp) : BigInt(record.timestamp)]);
    if (staticField && staticValue !== undefined) out.push([staticField.name, staticValue]);
    return out;
  };

  const updatedSchema = (schema: ConnectSchema): ConnectSchema => {
    const fields: ConnectField[] = (schema.fields ?? []).map((f) => f);
    const add = (spec: Insertion | undefined, base: ConnectSchema) => {
      if (!spec) return;
      if (fields.some((f) => f.field === spec.name))
        throw dataError(`Cannot create field because of field name duplication ${spec.name}`);
      fields.push(asField(spec.name, spec.optional ? Schemas.optional(base) : base));
    };
    add(topic, Schemas.string());
    add(partition, Schemas.int32());
    add(offset, Schemas.int64());
    add(timestamp, Schemas.timestamp());
    add(staticField, Schemas.string());
    return structSchema(fields, schemaBasics(schema));
  };

  return {
    apply(record) {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      const schema = side.schema(record);
      if (schema === null) {
        const map = JavaHashMap.copyOf(requireMap(value, PURPOSE));
        for (const [name, v] of inserted(record, false)) map.put(name, v);
        return side.with(record, null, map.toMap());
      }
      const struct = requireStruct(schema, value, PURPOSE);
      const updated = schemas.get(schema, updatedSchema);
      const out: Record<string, unknown> = {};
      const fields = present(updated.fields, 'updated struct fields');
      for (const field of schema.fields ?? [])
        setOwn(out, field.field, fieldValue(struct, field, withDefault));
      for (const [name, v] of inserted(record, true)) setOwn(out, name, v);
      for (const field of fields) checkPut(field, out[field.field] ?? null);
      return side.with(record, updated, out);
    },
  };
}
