/** HoistField$Key / $Value: wraps the key or value in a struct (or a map) with one field. */
import type { ConnectSchema } from '../converters/data/schema.js';
import type { TransformConfig } from './config.js';
import { asField, SchemaCache, setOwn, structSchema } from './data.js';
import { JavaHashMap } from './java-map.js';
import type { Side, Transformation } from './record.js';

export function hoistField(side: Side, config: TransformConfig): Transformation {
  const name = config.requiredString('field');
  const schemas = new SchemaCache();
  return {
    apply(record) {
      const schema = side.schema(record);
      const value = side.value(record);
      if (schema === null) {
        const map = JavaHashMap.empty<unknown>();
        map.put(name, value);
        return side.with(record, null, map.toMap());
      }
      const updated = schemas.get(schema, (s: ConnectSchema) => structSchema([asField(name, s)]));
      const struct: Record<string, unknown> = {};
      setOwn(struct, name, value);
      return side.with(record, updated, struct);
    },
  };
}
