/** Flatten$Key / $Value: nested structs (or maps) become top-level fields named `outer.inner`. */

import { type ConnectField, type ConnectSchema, PRIMITIVE_SCHEMA_TYPES } from '../converters/data/schema.js';
import { present } from '../invariant.js';
import type { TransformConfig } from './config.js';
import {
  asField,
  dataError,
  fieldValue,
  requireMap,
  requireStruct,
  SchemaCache,
  schemaBasics,
  setOwn,
  structSchema,
} from './data.js';
import { javaClassName, javaClassOf, schemaTypeOfClass } from './java-values.js';
import type { Side, Transformation } from './record.js';

const PURPOSE = 'flattening';
/** Copied as they are: primitives, and arrays (Flatten does not descend into them). */
const LEAF_TYPES = new Set<string>([...PRIMITIVE_SCHEMA_TYPES, 'array']);

export function flatten(side: Side, config: TransformConfig): Transformation {
  const delimiter = config.string('delimiter', '.');
  const schemas = new SchemaCache();
  const nameOf = (prefix: string, name: string) => (prefix === '' ? name : prefix + delimiter + name);

  const flattenMap = (map: unknown, prefix: string, out: Map<string, unknown>): void => {
    for (const [key, value] of requireMap(map, PURPOSE)) {
      const name = nameOf(prefix, key);
      if (value === null || value === undefined) {
        out.set(name, null);
        continue;
      }
      const cls = javaClassOf(null, value);
      const type = schemaTypeOfClass(cls);
      if (type === undefined)
        throw dataError(
          `Flatten transformation was passed a value of type ${javaClassName(cls)} which is not supported by Connect's data API`,
        );
      if (type === 'map') flattenMap(value, name, out);
      else if (LEAF_TYPES.has(type)) out.set(name, value);
      else
        throw dataError(
          `Flatten transformation does not support ${javaClassName(cls)} for record without schemas (for field ${name}).`,
        );
    }
  };

  const flatFields = (
    schema: ConnectSchema,
    prefix: string,
    optional: boolean,
    parentDefault: Record<string, unknown> | null,
    out: ConnectField[],
  ): void => {
    for (const field of schema.fields ?? []) {
      const name = nameOf(prefix, field.field);
      const fieldOptional = optional || field.optional === true;
      let fieldDefault: unknown = null;
      if (field.default != null) fieldDefault = field.default;
      else if (parentDefault !== null) fieldDefault = fieldValue(parentDefault, field);
      if (LEAF_TYPES.has(field.type)) {
        const converted: ConnectSchema = {
          type: field.type,
          optional: fieldOptional,
          ...schemaBasics(field),
        };
        if (field.type === 'array') converted.items = present(field.items, `array schema items of ${name}`);
        if (fieldDefault != null) converted.default = fieldDefault;
        if (out.some((f) => f.field === name))
          throw dataError(`Cannot create field because of field name duplication ${name}`);
        out.push(asField(name, converted));
      } else if (field.type === 'struct') {
        flatFields(field, name, fieldOptional, (fieldDefault as Record<string, unknown> | null) ?? null, out);
      } else {
        throw dataError(
          `Flatten transformation does not support ${field.type.toUpperCase()} for record with schemas (for field ${name}).`,
        );
      }
    }
  };

  const flattenStruct = (
    schema: ConnectSchema,
    struct: Record<string, unknown> | null,
    prefix: string,
    out: Record<string, unknown>,
  ): void => {
    if (struct === null) return;
    for (const field of schema.fields ?? []) {
      const name = nameOf(prefix, field.field);
      if (field.type === 'struct')
        flattenStruct(field, fieldValue(struct, field) as Record<string, unknown> | null, name, out);
      else setOwn(out, name, fieldValue(struct, field));
    }
  };

  return {
    apply(record) {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      const schema = side.schema(record);
      if (schema === null) {
        const out = new Map<string, unknown>();
        flattenMap(value, '', out);
        return side.with(record, null, out);
      }
      const struct = requireStruct(schema, value, PURPOSE);
      const updated = schemas.get(schema, (s) => {
        const fields: ConnectField[] = [];
        flatFields(
          s,
          '',
          s.optional === true,
          (s.default as Record<string, unknown> | undefined) ?? null,
          fields,
        );
        return structSchema(fields, schemaBasics(s));
      });
      const out: Record<string, unknown> = {};
      flattenStruct(schema, struct, '', out);
      for (const field of present(updated.fields, 'flattened struct fields')) {
        if ((out[field.field] ?? null) === null && field.optional !== true && field.default == null)
          throw dataError(
            `Invalid value: null used for required field: "${field.field}", schema type: ${field.type}`,
          );
      }
      return side.with(record, updated, out);
    },
  };
}
