/**
 * Payload conversion between JSON and Connect values, following
 * JsonConverter's `convertToJson` / `convertToConnect`. pipe is stricter than
 * Connect where Connect would silently coerce (a string read as int32 0, an
 * int8 wrapped around): such payloads fail with the field path instead.
 */

import { formatDecimal, parseDecimal, unscaledFromBytes, unscaledToBytes } from '../data/decimal.js';
import {
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  type DecimalValue,
  TIME_NAME,
  TIMESTAMP_NAME,
} from '../data/schema.js';
import { isDecimalValue, isPlainObject } from '../data/validate.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { child, dataError, type JsonContext, schemaError } from './context.js';
import { inJavaHashMapOrder } from './hash-order.js';
import { javaDoubleToString, javaFloatToString } from './java-number.js';
import { type JsonNode, JsonNumber, nodeKind } from './reader.js';
import { jsonString } from './writer.js';

const MILLIS_PER_DAY = 86_400_000;
const MAX_DATE_MILLIS = 8.64e15;
const INT_RANGES: Record<'int8' | 'int16' | 'int32', [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

// ---- JSON → Connect ------------------------------------------------------

export function toConnectValue(
  schema: ConnectSchema | null,
  node: JsonNode | undefined,
  path: string,
  context: JsonContext,
): unknown {
  if (schema === null) return schemalessToConnect(node, path, context);
  if (node === undefined || node === null) {
    if (schema.default != null && context.replaceNullWithDefault) return schema.default;
    if (schema.optional === true) return null;
    throw dataError(context, path, `null value for a required ${schema.type}`);
  }
  if (schema.name !== undefined) {
    switch (schema.name) {
      case DECIMAL_NAME:
        return decimalToConnect(schema, node, path, context);
      case DATE_NAME:
        return new Date(readInt(node, 'int32', path, context, 'Date') * MILLIS_PER_DAY);
      case TIME_NAME: {
        const millis = readInt(node, 'int32', path, context, 'Time');
        if (millis < 0 || millis > MILLIS_PER_DAY)
          throw dataError(context, path, `Time ${millis} is not a millisecond of a day`);
        return new Date(millis);
      }
      case TIMESTAMP_NAME:
        return toDate(readInt64(node, path, context, 'Timestamp'), path, context);
    }
  }
  switch (schema.type) {
    case 'boolean':
      if (typeof node !== 'boolean') throw mismatch(context, path, 'boolean', node);
      return node;
    case 'int8':
    case 'int16':
    case 'int32':
      return readInt(node, schema.type, path, context, schema.type);
    case 'int64':
      return readInt64(node, path, context, 'int64');
    case 'float':
      return Math.fround(readFloat(node, path, context, 'float'));
    case 'double':
      return readFloat(node, path, context, 'double');
    case 'string':
      if (typeof node !== 'string') throw mismatch(context, path, 'string', node);
      return node;
    case 'bytes':
      return readBytes(node, path, context);
    case 'array': {
      if (!Array.isArray(node)) throw mismatch(context, path, 'array', node);
      const items = schema.items!;
      return node.map((item, i) => toConnectValue(items, item, `${path}[${i}]`, context));
    }
    case 'map':
      return mapToConnect(schema, node, path, context);
    case 'struct':
      return structToConnect(schema, node, path, context);
  }
}

function schemalessToConnect(node: JsonNode | undefined, path: string, context: JsonContext): unknown {
  if (node === undefined || node === null || typeof node === 'boolean' || typeof node === 'string')
    return node ?? null;
  if (node instanceof JsonNumber)
    return node.integral ? readInt64(node, path, context, 'int64') : Number(node.text) + 0;
  if (Array.isArray(node)) return node.map((item, i) => schemalessToConnect(item, `${path}[${i}]`, context));
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of node) entries.push([key, schemalessToConnect(value, child(path, key), context)]);
  return new Map(inJavaHashMapOrder(entries));
}

function mapToConnect(
  schema: ConnectSchema,
  node: JsonNode,
  path: string,
  context: JsonContext,
): Map<unknown, unknown> {
  const keys = schema.keys!;
  const values = schema.values!;
  const entries: Array<[unknown, unknown]> = [];
  if (keys.type === 'string') {
    if (!(node instanceof Map))
      throw dataError(context, path, `a map with string keys must be a JSON object, found ${nodeKind(node)}`);
    for (const [key, value] of node)
      entries.push([key, toConnectValue(values, value, child(path, key), context)]);
  } else {
    if (!Array.isArray(node))
      throw dataError(
        context,
        path,
        `a map with ${keys.type} keys must be a JSON array of [key, value] pairs, found ${nodeKind(node)}`,
      );
    node.forEach((pair, i) => {
      const at = `${path}[${i}]`;
      if (!Array.isArray(pair) || pair.length !== 2)
        throw dataError(context, at, `a map entry must be a [key, value] pair, found ${nodeKind(pair)}`);
      entries.push([
        toConnectValue(keys, pair[0]!, `${at}[0]`, context),
        toConnectValue(values, pair[1]!, `${at}[1]`, context),
      ]);
    });
  }
  // A repeated key keeps its first place and its last value, as HashMap.put does; count distinct keys only.
  return new Map(inJavaHashMapOrder([...new Map(entries)], keys.type));
}

function structToConnect(
  schema: ConnectSchema,
  node: JsonNode,
  path: string,
  context: JsonContext,
): Record<string, unknown> {
  if (!(node instanceof Map)) throw mismatch(context, path, 'struct', node);
  const struct: Record<string, unknown> = {};
  for (const field of schema.fields!) {
    setField(
      struct,
      field.field,
      toConnectValue(field, node.get(field.field), child(path, field.field), context),
    );
  }
  return struct;
}

/** Assigns a struct field, also one named `__proto__`, as an own property. */
export function setField(struct: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(struct, name, { value, enumerable: true, writable: true });
  else struct[name] = value;
}

function readInt(
  node: JsonNode,
  type: 'int8' | 'int16' | 'int32',
  path: string,
  context: JsonContext,
  what: string,
): number {
  if (!(node instanceof JsonNumber) || !node.integral) throw mismatch(context, path, what, node);
  const value = Number(node.text) + 0;
  const [min, max] = INT_RANGES[type];
  if (value < min || value > max)
    throw dataError(context, path, `${node.text} is out of range for ${what} (${type})`);
  return value;
}

function readInt64(node: JsonNode, path: string, context: JsonContext, what: string): bigint {
  if (!(node instanceof JsonNumber) || !node.integral) throw mismatch(context, path, what, node);
  const value = BigInt(node.text);
  if (value < INT64_MIN || value > INT64_MAX)
    throw dataError(context, path, `${node.text} is out of range for int64`);
  return value;
}

function readFloat(node: JsonNode, path: string, context: JsonContext, what: string): number {
  // Connect reads numbers through BigDecimal, which has no negative zero: -0.0 reads as 0.0.
  if (node instanceof JsonNumber) return Number(node.text) + 0;
  // Jackson writes non-finite numbers as these strings, and Connect reads any string as 0.0; pipe does the same
  // for these (so rewriting gives Connect's bytes) and refuses other strings.
  if (typeof node === 'string' && NON_FINITE.has(node)) return 0;
  throw mismatch(context, path, what, node);
}

function readBytes(node: JsonNode, path: string, context: JsonContext): Uint8Array {
  if (typeof node !== 'string') throw mismatch(context, path, 'bytes (base64 text)', node);
  const bytes = decodeBase64(node);
  if (!bytes) throw dataError(context, path, 'bytes are not valid base64');
  return bytes;
}

function decimalToConnect(
  schema: ConnectSchema,
  node: JsonNode,
  path: string,
  context: JsonContext,
): DecimalValue {
  if (node instanceof JsonNumber) return parseDecimal(node.text)!;
  if (typeof node === 'string') {
    const bytes = readBytes(node, path, context);
    const unscaled = unscaledFromBytes(bytes);
    if (unscaled === undefined) throw dataError(context, path, 'a Decimal needs at least one byte');
    return { unscaled, scale: decimalScale(schema, path, context) };
  }
  throw mismatch(context, path, 'Decimal (a number or base64 bytes)', node);
}

function decimalScale(schema: ConnectSchema, path: string, context: JsonContext): number {
  const text = schema.parameters?.[DECIMAL_SCALE_PARAMETER];
  if (text === undefined || !/^[+-]?\d+$/.test(text))
    throw schemaError(
      context,
      path,
      `a Decimal schema needs an integer "${DECIMAL_SCALE_PARAMETER}" parameter`,
    );
  return Number(text);
}

function toDate(millis: bigint, path: string, context: JsonContext): Date {
  const value = Number(millis);
  if (Math.abs(value) > MAX_DATE_MILLIS)
    throw dataError(context, path, `Timestamp ${millis} is beyond what a JavaScript Date holds`);
  return new Date(value);
}

function mismatch(context: JsonContext, path: string, expected: string, node: JsonNode | undefined) {
  return dataError(context, path, `expected ${expected}, found ${nodeKind(node)}`);
}

// ---- Connect → JSON ------------------------------------------------------

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
      const items = schema.items!;
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
      const fields = schema.fields!;
      if (fields.length === 0) return '{}';
      const keys = fieldKeys(schema);
      let out = '';
      for (let i = 0; i < fields.length; i++) {
        const name = fields[i]!.field;
        const own = Object.hasOwn(struct, name) ? struct[name] : undefined;
        out += keys[i]! + fromConnectValue(fields[i]!, own, child(path, name), context);
      }
      return `${out}}`;
    }
  }
}

const fieldKeyCache = new WeakMap<ConnectSchema, string[]>();

/** Each field's `{"name":` or `,"name":`, made once per struct schema: field names repeat in every record. */
function fieldKeys(schema: ConnectSchema): string[] {
  let keys = fieldKeyCache.get(schema);
  if (keys === undefined) {
    keys = schema.fields!.map((field, i) => `${i === 0 ? '{' : ','}${jsonString(field.field)}:`);
    fieldKeyCache.set(schema, keys);
  }
  return keys;
}

function mapFromConnect(schema: ConnectSchema, value: unknown, path: string, context: JsonContext): string {
  const entries = mapEntries(value);
  if (!entries) throw wrongValue(context, path, 'map (a Map or a plain object)', value);
  const keys = schema.keys!;
  const values = schema.values!;
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

/** How a JS value is described in messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (value instanceof Map) return 'a Map';
  switch (typeof value) {
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}`;
    case 'string':
      return 'a string';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function wrongValue(context: JsonContext, path: string, expected: string, value: unknown) {
  return dataError(context, path, `expected ${expected}, found ${describe(value)}`);
}
