/** ExtractField$Key / $Value: the key or value becomes one of its fields. */
import type { TransformConfig } from './config.js';
import { dataError, requireStruct } from './data.js';
import { fieldAt, mapValueAt, parseFieldPath, structValueAt } from './field-path.js';
import type { Side, Transformation } from './record.js';

const PURPOSE = 'field extraction';

export function extractField(side: Side, config: TransformConfig): Transformation {
  const original = config.requiredString('field');
  const steps = parseFieldPath(original, config.oneOf('field.syntax.version', ['V1', 'V2'], 'V1'));
  const withDefault = config.boolean('replace.null.with.default', true);
  return {
    apply(record) {
      const schema = side.schema(record);
      const value = side.value(record);
      if (schema === null) {
        return side.with(record, null, value === null ? null : mapValueAt(steps, value));
      }
      const struct = value === null ? null : requireStruct(schema, value, PURPOSE);
      const field = fieldAt(steps, schema);
      if (!field) throw dataError(`Unknown field: ${original}`);
      const { field: _name, ...fieldSchema } = field;
      return side.with(
        record,
        fieldSchema,
        struct === null ? null : structValueAt(steps, schema, struct, withDefault),
      );
    },
  };
}
