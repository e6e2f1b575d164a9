/** SetSchemaMetadata$Key / $Value: sets the schema's name and version. */
import type { ConnectSchema } from '../converters/data/schema.js';
import type { TransformConfig } from './config.js';
import { dataError, SchemaCache } from './data.js';
import type { Side, Transformation } from './record.js';

export function setSchemaMetadata(side: Side, config: TransformConfig): Transformation {
  const name = config.string('schema.name');
  const version = config.integer('schema.version');
  if (name === undefined && version === undefined)
    throw config.error('schema.name', 'or schema.version must be set');
  const schemas = new SchemaCache();
  const updated = (schema: ConnectSchema): ConnectSchema => {
    const out: ConnectSchema = { ...schema };
    if (name !== undefined) out.name = name;
    if (version !== undefined) out.version = version;
    return out;
  };
  return {
    apply(record) {
      const schema = side.schema(record);
      const value = side.value(record);
      if (schema === null && (value === null || value === undefined)) return record;
      if (schema === null) throw dataError('Schema required for [updating schema metadata]');
      // Connect 4.2 copies the schema's fields(), which only a struct schema has: anything else fails there.
      if (schema.type !== 'struct') throw dataError('Cannot list fields on non-struct type');
      return side.with(record, schemas.get(schema, updated), value);
    },
  };
}
