/**
 * What reading and writing JSON payloads share: the ranges of Connect's
 * types, the Decimal scale rule, and how a value is named in messages.
 */
import { type ConnectSchema, DECIMAL_SCALE_PARAMETER } from '../data/schema.js';
import { type JsonContext, schemaError } from './context.js';

export const MILLIS_PER_DAY = 86_400_000;
export const INT_RANGES: Record<'int8' | 'int16' | 'int32', [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function decimalScale(schema: ConnectSchema, path: string, context: JsonContext): number {
  const text = schema.parameters?.[DECIMAL_SCALE_PARAMETER];
  if (text === undefined || !/^[+-]?\d+$/.test(text))
    throw schemaError(
      context,
      path,
      `a Decimal schema needs an integer "${DECIMAL_SCALE_PARAMETER}" parameter`,
    );
  return Number(text);
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

/**
 * A schema's items, keys, values or fields, which every schema of its type
 * has when read from JSON or built with `Schemas`; a hand-made schema
 * without them is a CONVERTER_SCHEMA error, not a crash.
 */
export function partOf<K extends 'items' | 'keys' | 'values' | 'fields'>(
  schema: ConnectSchema,
  part: K,
  path: string,
  context: JsonContext,
): NonNullable<ConnectSchema[K]> {
  const value = schema[part];
  if (value === undefined) throw schemaError(context, path, `a ${schema.type} schema needs its "${part}"`);
  return value;
}
