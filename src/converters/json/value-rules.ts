/**
 * What reading and writing JSON payloads share: the ranges of Connect's
 * types, the Decimal scale rule, and how a value is named in messages.
 */
import { type ConnectField, type ConnectSchema, DECIMAL_SCALE_PARAMETER } from '../data/schema.js';
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

/*
 * A schema's items, keys, values or fields, which every schema of its type has
 * when read from JSON or built with `Schemas`; a hand-made schema without them
 * is a CONVERTER_SCHEMA error, not a crash. One function per part rather than
 * one taking the part's name: V8 inlines these constant-name reads, where the
 * shared keyed read stayed a call of its own on the hot path (1.2% of the
 * struct writer's CPU profile).
 */
export function itemsOf(schema: ConnectSchema, path: string, context: JsonContext): ConnectSchema {
  const { items } = schema;
  if (items === undefined) throw missingPart(schema, 'items', path, context);
  return items;
}

export function keysOf(schema: ConnectSchema, path: string, context: JsonContext): ConnectSchema {
  const { keys } = schema;
  if (keys === undefined) throw missingPart(schema, 'keys', path, context);
  return keys;
}

export function valuesOf(schema: ConnectSchema, path: string, context: JsonContext): ConnectSchema {
  const { values } = schema;
  if (values === undefined) throw missingPart(schema, 'values', path, context);
  return values;
}

export function fieldsOf(schema: ConnectSchema, path: string, context: JsonContext): readonly ConnectField[] {
  const { fields } = schema;
  if (fields === undefined) throw missingPart(schema, 'fields', path, context);
  return fields;
}

function missingPart(schema: ConnectSchema, part: string, path: string, context: JsonContext) {
  return schemaError(context, path, `a ${schema.type} schema needs its "${part}"`);
}
