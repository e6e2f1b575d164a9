/**
 * JSON payload → Connect value, following JsonConverter's `convertToConnect`.
 * pipe is stricter than Connect where Connect would silently coerce (a string
 * read as int32 0, an int8 wrapped around): such payloads fail with the field
 * path instead.
 */

import { present } from '../../invariant.js';
import { parseDecimal, unscaledFromBytes } from '../data/decimal.js';
import {
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  type DecimalValue,
  TIME_NAME,
  TIMESTAMP_NAME,
} from '../data/schema.js';
import { decodeBase64 } from './base64.js';
import { child, dataError, type JsonContext } from './context.js';
import { inJavaHashMapOrder } from './hash-order.js';
import { type JsonNode, JsonNumber, nodeKind } from './reader.js';
import {
  decimalScale,
  fieldsOf,
  INT_RANGES,
  INT64_MAX,
  INT64_MIN,
  itemsOf,
  keysOf,
  MILLIS_PER_DAY,
  valuesOf,
} from './value-rules.js';

const MAX_DATE_MILLIS = 8.64e15;
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

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
      const items = itemsOf(schema, path, context);
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
  const keys = keysOf(schema, path, context);
  const values = valuesOf(schema, path, context);
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
      const [key, value] = pair;
      entries.push([
        toConnectValue(keys, key, `${at}[0]`, context),
        toConnectValue(values, value, `${at}[1]`, context),
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
  for (const field of fieldsOf(schema, path, context)) {
    setField(
      struct,
      field.field,
      toConnectValue(field, node.get(field.field), child(path, field.field), context),
    );
  }
  return struct;
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
  if (node instanceof JsonNumber)
    return present(parseDecimal(node.text), `the decimal of the JSON number ${node.text}`);
  if (typeof node === 'string') {
    const bytes = readBytes(node, path, context);
    const unscaled = unscaledFromBytes(bytes);
    if (unscaled === undefined) throw dataError(context, path, 'a Decimal needs at least one byte');
    return { unscaled, scale: decimalScale(schema, path, context) };
  }
  throw mismatch(context, path, 'Decimal (a number or base64 bytes)', node);
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

/** Assigns a struct field, also one named `__proto__`, as an own property. */
function setField(struct: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(struct, name, { value, enumerable: true, writable: true });
  else struct[name] = value;
}
