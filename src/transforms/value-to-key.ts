/** ValueToKey: the key becomes a struct (or map) of fields of the value. */
import type { ConnectSchema } from '../converters/data/schema.js';
import type { TransformConfig } from './config.js';
import {
  asField,
  buildStruct,
  dataError,
  fieldOf,
  mapGet,
  namedValue,
  requireMap,
  requireStruct,
  SchemaCache,
  structSchema,
} from './data.js';
import { JavaHashMap } from './java-map.js';
import type { Transformation } from './record.js';

const PURPOSE = 'copying fields from value to key';

export function valueToKey(config: TransformConfig): Transformation {
  const fields = config.nonEmptyList('fields');
  const withDefault = config.boolean('replace.null.with.default', true);
  const schemas = new SchemaCache();
  const keySchemaOf = (valueSchema: ConnectSchema) =>
    structSchema(
      fields.map((name) => {
        const field = fieldOf(valueSchema, name);
        if (!field) throw dataError(`Field does not exist: ${name}`);
        return asField(name, field);
      }),
    );
  return {
    apply(record) {
      if (record.valueSchema === null) {
        requireMap(record.value, PURPOSE);
        const key = JavaHashMap.withCapacity<unknown>(fields.length);
        for (const name of fields) key.put(name, mapGet(record.value, name));
        return { ...record, keySchema: null, key: key.toMap() };
      }
      const value = requireStruct(record.valueSchema, record.value, PURPOSE);
      const keySchema = schemas.get(record.valueSchema, keySchemaOf);
      const valueSchema = record.valueSchema;
      const key = buildStruct(keySchema, (f) => namedValue(valueSchema, value, f.field, withDefault));
      return { ...record, keySchema, key };
    },
  };
}
