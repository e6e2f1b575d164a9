/**
 * Connect value → JSON payload text, following JsonConverter's
 * `convertToJson`. pipe is stricter than Connect where Connect would silently
 * coerce: a value that does not fit its schema fails with the field path.
 */

import { formatDecimal, unscaledToBytes } from '../data/decimal.js';
import {
  type ConnectField,
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  TIME_NAME,
  TIMESTAMP_NAME,
} from '../data/schema.js';
import { isDecimalValue, isPlainObject } from '../data/validate.js';
import { encodeBase64 } from './base64.js';
import { child, dataError, type JsonContext } from './context.js';
import { javaDoubleToString, javaFloatToString } from './java-number.js';
import {
  decimalScale,
  describe,
  fieldsOf,
  INT_RANGES,
  INT64_MAX,
  INT64_MIN,
  itemsOf,
  keysOf,
  MILLIS_PER_DAY,
  valuesOf,
} from './value-rules.js';
import { jsonString } from './writer.js';

export function fromConnectValue(
  schema: ConnectSchema | null,
  value: unknown,
  path: string,
  context: JsonContext,
): string {
  if (value === null || value === undefined) {
    if (schema === null) return 'null';
    if (schema.default != null && context.replaceNullWithDefault)
      return fromConnectValue(schema, schema.default, path, context);
    if (schema.optional === true) return 'null';
    throw dataError(context, path, `null value for a required ${schema.type}`);
  }
  if (schema === null) return schemalessFromConnect(value, path, context);
  if (schema.name !== undefined) {
    switch (schema.name) {
      case DECIMAL_NAME:
        return decimalFromConnect(schema, value, path, context);
      case DATE_NAME: {
        const millis = dateMillis(value, path, context, 'Date');
        if (millis % MILLIS_PER_DAY !== 0)
          throw dataError(context, path, 'a Date must be midnight UTC, with no time of day');
        return String(millis / MILLIS_PER_DAY);
      }
      case TIME_NAME: {
        const millis = dateMillis(value, path, context, 'Time');
        if (millis < 0 || millis > MILLIS_PER_DAY)
          throw dataError(context, path, 'a Time must fall on 1970-01-01 UTC, with no date part');
        return String(millis);
      }
      case TIMESTAMP_NAME:
        return String(dateMillis(value, path, context, 'Timestamp'));
    }
  }
  return typedFromConnect(schema, value, path, context);
}

function typedFromConnect(schema: ConnectSchema, value: unknown, path: string, context: JsonContext): string {
  switch (schema.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongValue(context, path, 'boolean', value);
      return value ? 'true' : 'false';
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[schema.type];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
        throw wrongValue(context, path, `${schema.type} (an integer number from ${min} to ${max})`, value);
      return String(value + 0);
    }
    case 'int64':
      return writeInt64(value, path, context);
    case 'float':
      if (typeof value !== 'number') throw wrongValue(context, path, 'float (a number)', value);
      return Number.isFinite(value) ? javaFloatToString(value) : `"${javaFloatToString(value)}"`;
    case 'double':
      return writeDouble(value, path, context);
    case 'string':
      if (typeof value !== 'string') throw wrongValue(context, path, 'string', value);
      return jsonString(value);
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw wrongValue(context, path, 'bytes (a Uint8Array)', value);
      return `"${encodeBase64(value)}"`;
    case 'array': {
      if (!Array.isArray(value)) throw wrongValue(context, path, 'array', value);
      const items = itemsOf(schema, path, context);
      let out = '[';
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out += ',';
        out += fromConnectValue(items, value[i], `${path}[${i}]`, context);
      }
      return `${out}]`;
    }
    case 'map':
      return mapFromConnect(schema, value, path, context);
    case 'struct': {
      if (!isPlainObject(value)) throw wrongValue(context, path, 'struct (a plain object)', value);
      const struct = value as Record<string, unknown>;
      const fields = fieldsOf(schema, path, context);
      if (fields.length === 0) return '{}';
      const keys = fieldKeys(schema, fields);
      let out = '';
      let i = 0;
      for (const field of fields) {
        const name = field.field;
        const own = Object.hasOwn(struct, name) ? struct[name] : undefined;
        // biome-ignore lint/style/noNonNullAssertion: fieldKeys made one key per field, in order
        out += keys[i++]! + fromConnectValue(field, own, child(path, name), context);
      }
      return `${out}}`;
    }
  }
}

const fieldKeyCache = new WeakMap<ConnectSchema, string[]>();

/** Each field's `{"name":` or `,"name":`, made once per struct schema: field names repeat in every record. */
function fieldKeys(schema: ConnectSchema, fields: readonly ConnectField[]): string[] {
  let keys = fieldKeyCache.get(schema);
  if (keys === undefined) {
    keys = fields.map((field, i) => `${i === 0 ? '{' : ','}${jsonString(field.field)}:`);
    fieldKeyCache.set(schema, keys);
  }
  return keys;
}

function mapFromConnect(schema: ConnectSchema, value: unknown, path: string, context: JsonContext): string {
  const entries = mapEntries(value);
  if (!entries) throw wrongValue(context, path, 'map (a Map or a plain object)', value);
  const keys = keysOf(schema, path, context);
  const values = valuesOf(schema, path, context);
  if (keys.type === 'string') {
    let out = '{';
    for (const [key, item] of entries) {
      if (out.length > 1) out += ',';
      if (typeof key !== 'string') throw wrongValue(context, path, 'map key of type string', key);
      out += `${jsonString(key)}:${fromConnectValue(values, item, child(path, key), context)}`;
    }
    return `${out}}`;
  }
  let out = '[';
  let i = 0;
  for (const [key, item] of entries) {
    if (i > 0) out += ',';
    const at = `${path}[${i++}]`;
    out += `[${fromConnectValue(keys, key, `${at}[0]`, context)},${fromConnectValue(values, item, `${at}[1]`, context)}]`;
  }
  return `${out}]`;
}

function schemalessFromConnect(value: unknown, path: string, context: JsonContext): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return jsonString(value);
    case 'bigint':
      return writeInt64(value, path, context);
    case 'number':
      return writeDouble(value, path, context);
  }
  if (value instanceof Uint8Array) return `"${encodeBase64(value)}"`;
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => (item == null ? 'null' : schemalessFromConnect(item, `${path}[${i}]`, context))).join(',')}]`;
  }
  const entries = mapEntries(value);
  if (!entries) throw wrongValue(context, path, 'a value with a Connect type (no schema given)', value);
  const item = (v: unknown, at: string) => (v == null ? 'null' : schemalessFromConnect(v, at, context));
  if (entries.every(([key]) => typeof key === 'string')) {
    return `{${entries.map(([key, v]) => `${jsonString(key as string)}:${item(v, child(path, key as string))}`).join(',')}}`;
  }
  return `[${entries.map(([key, v], i) => `[${item(key, `${path}[${i}][0]`)},${item(v, `${path}[${i}][1]`)}]`).join(',')}]`;
}

function writeInt64(value: unknown, path: string, context: JsonContext): string {
  if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value + 0);
  throw wrongValue(context, path, 'int64 (a bigint, or a safe integer number)', value);
}

function writeDouble(value: unknown, path: string, context: JsonContext): string {
  if (typeof value !== 'number') throw wrongValue(context, path, 'double (a number)', value);
  // Jackson quotes non-finite numbers, which JSON cannot hold.
  return Number.isFinite(value) ? javaDoubleToString(value) : `"${javaDoubleToString(value)}"`;
}

function decimalFromConnect(
  schema: ConnectSchema,
  value: unknown,
  path: string,
  context: JsonContext,
): string {
  if (!isDecimalValue(value))
    throw wrongValue(context, path, 'Decimal ({ unscaled: bigint, scale: number })', value);
  if (context.decimalFormat === 'NUMERIC') return formatDecimal(value);
  const scale = decimalScale(schema, path, context);
  if (value.scale !== scale)
    throw dataError(context, path, `Decimal value has scale ${value.scale}, its schema has scale ${scale}`);
  return `"${encodeBase64(unscaledToBytes(value.unscaled))}"`;
}

function dateMillis(value: unknown, path: string, context: JsonContext, what: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw wrongValue(context, path, `${what} (a valid Date)`, value);
  return value.getTime();
}

/** A map value's entries: a Map's, or a plain object's own string keys. */
function mapEntries(value: unknown): Array<[unknown, unknown]> | undefined {
  if (value instanceof Map) return [...value.entries()];
  if (isPlainObject(value)) return Object.entries(value);
  return undefined;
}

function wrongValue(context: JsonContext, path: string, expected: string, value: unknown) {
  return dataError(context, path, `expected ${expected}, found ${describe(value)}`);
}
