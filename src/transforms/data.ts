/**
 * Connect's data API as the transforms use it (`Requirements`, `Struct.get`,
 * `Struct.put`, `SchemaUtil`), on pipe's values: a struct is a plain object
 * read with its schema, a schemaless map is a `Map` (or a plain object from a
 * source connector).
 */
import type { ConnectField, ConnectSchema } from '../converters/data/schema.js';
import { isPlainObject } from '../converters/data/validate.js';
import { describe } from '../converters/json/value-rules.js';
import { PipeError } from '../errors.js';

/** Connect's `DataException` from a transform: a per-record error that goes through the error policy. */
export function dataError(message: string): PipeError {
  return new PipeError('TRANSFORM_DATA', message);
}

/** `Requirements.requireMap`: a schemaless value must be a map; its entries, in order. */
export function requireMap(value: unknown, purpose: string): Array<[string, unknown]> {
  if (value instanceof Map) return [...value] as Array<[string, unknown]>;
  if (isPlainObject(value)) return Object.entries(value);
  throw dataError(
    `Only Map objects supported in absence of schema for [${purpose}], found: ${describe(value)}`,
  );
}

export function isMap(value: unknown): boolean {
  return value instanceof Map || isPlainObject(value);
}

/** `Requirements.requireStruct`: with a struct schema, the value must be a struct. */
export function requireStruct(
  schema: ConnectSchema,
  value: unknown,
  purpose: string,
): Record<string, unknown> {
  if (schema.type !== 'struct' || !isPlainObject(value))
    throw dataError(
      `Only Struct objects supported for [${purpose}], found: ${schema.type === 'struct' ? describe(value) : `a ${schema.type}`}`,
    );
  return value;
}

export function fieldOf(schema: ConnectSchema, name: string): ConnectField | undefined {
  return schema.fields?.find((f) => f.field === name);
}

/**
 * `Struct.get(field)` (a null field that has a default reads as the default)
 * or, without `withDefault`, `Struct.getWithoutDefault`.
 */
export function fieldValue(
  struct: Record<string, unknown>,
  field: ConnectField,
  withDefault = true,
): unknown {
  const value = Object.hasOwn(struct, field.field) ? struct[field.field] : undefined;
  if (value === null || value === undefined)
    return withDefault && field.default != null ? field.default : null;
  return value;
}

/** `Struct.get(name)`: a name the schema does not have is an error. */
export function namedValue(
  schema: ConnectSchema,
  struct: Record<string, unknown>,
  name: string,
  withDefault = true,
): unknown {
  const field = fieldOf(schema, name);
  if (!field) throw dataError(`${name} is not a valid field name`);
  return fieldValue(struct, field, withDefault);
}

/** `Struct.put`'s check: a required field cannot hold null. */
export function checkPut(field: ConnectField, value: unknown): unknown {
  if ((value === null || value === undefined) && field.optional !== true)
    throw dataError(
      `Invalid value: null used for required field: "${field.field}", schema type: ${field.type}`,
    );
  return value ?? null;
}

/** Builds a struct value field by field, as `new Struct(schema).put(...)` does. */
export function buildStruct(
  schema: ConnectSchema,
  valueFor: (field: ConnectField) => unknown,
): Record<string, unknown> {
  const struct: Record<string, unknown> = {};
  for (const field of schema.fields ?? []) setOwn(struct, field.field, checkPut(field, valueFor(field)));
  return struct;
}

/** Assigns a field, also one named `__proto__`, as an own property. */
export function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true });
  else target[name] = value;
}

/**
 * `SchemaUtil.copySchemaBasics(source, builder)`: name, version, doc and
 * parameters carry over; optional and the default do not.
 */
export function schemaBasics(source: ConnectSchema): Partial<ConnectSchema> {
  const out: Partial<ConnectSchema> = {};
  if (source.name !== undefined) out.name = source.name;
  if (source.version !== undefined) out.version = source.version;
  if (source.doc !== undefined) out.doc = source.doc;
  if (source.parameters !== undefined) out.parameters = { ...source.parameters };
  return out;
}

/** A struct schema with Connect's builder defaults: required unless said otherwise. */
export function structSchema(
  fields: ConnectField[],
  basics: Partial<ConnectSchema> = {},
  optional = false,
): ConnectSchema {
  return { type: 'struct', optional, ...basics, fields };
}

export function asField(name: string, schema: ConnectSchema): ConnectField {
  const { field: _ignored, ...rest } = schema as ConnectField;
  return { ...rest, field: name };
}

/**
 * Derived schemas, one per input schema object, as Connect's transforms keep
 * them (an LRU of 16 there; schemas here are immutable objects, so a weak map
 * holds exactly the live ones).
 */
export class SchemaCache {
  private readonly cache = new WeakMap<ConnectSchema, ConnectSchema>();

  get(schema: ConnectSchema, derive: (schema: ConnectSchema) => ConnectSchema): ConnectSchema {
    let derived = this.cache.get(schema);
    if (derived === undefined) {
      derived = derive(schema);
      this.cache.set(schema, derived);
    }
    return derived;
  }
}

/** `map.get(key)` on a schemaless map (a `Map` or a plain object); null when absent. */
export function mapGet(map: unknown, key: string): unknown {
  if (map instanceof Map) return map.get(key) ?? null;
  if (isPlainObject(map)) return Object.hasOwn(map, key) ? (map[key] ?? null) : null;
  return null;
}
