/**
 * Connect's `ConnectSchema.validateValue`: whether a JavaScript value fits a
 * schema, with the path of the first field that does not. Source connectors
 * call it on the records they build; the converters apply the same rules as
 * they write.
 */
import { PipeError } from '../../errors.js';
import {
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  type DecimalValue,
  SCHEMA_TYPES,
  TIME_NAME,
  TIMESTAMP_NAME,
} from './schema.js';

const MILLIS_PER_DAY = 86_400_000;
const INT_BITS = { int8: 8, int16: 16, int32: 32 } as const;

/**
 * Throws `PipeError('CONVERTER_DATA')` naming the field path when `value`
 * does not fit `schema`, or `CONVERTER_SCHEMA` when the schema itself is not
 * a Connect schema.
 */
export function validateValue(schema: ConnectSchema, value: unknown, path = ''): void {
  const problem = findProblem(schema, value, path);
  if (problem) {
    const at = problem.path === '' ? '(root)' : problem.path;
    throw new PipeError(problem.code ?? 'CONVERTER_DATA', `${problem.message} at ${at}`, {
      meta: { path: at },
    });
  }
}

interface Problem {
  path: string;
  message: string;
  code?: 'CONVERTER_SCHEMA';
}

function schemaProblem(schema: ConnectSchema, path: string): Problem | undefined {
  const message = (() => {
    if (!SCHEMA_TYPES.includes(schema?.type)) return `unknown schema type ${JSON.stringify(schema?.type)}`;
    if (schema.type === 'array' && !schema.items) return 'an array schema needs "items"';
    if (schema.type === 'map' && (!schema.keys || !schema.values))
      return 'a map schema needs "keys" and "values"';
    if (schema.type === 'struct' && !Array.isArray(schema.fields)) return 'a struct schema needs "fields"';
    return undefined;
  })();
  return message === undefined ? undefined : { path, message, code: 'CONVERTER_SCHEMA' };
}

function findProblem(schema: ConnectSchema, value: unknown, path: string): Problem | undefined {
  const broken = schemaProblem(schema, path);
  if (broken) return broken;
  if (value === null || value === undefined) {
    if (schema.optional === true || schema.default != null) return undefined;
    return { path, message: `null value for a required ${schema.type}` };
  }
  const expect = (ok: boolean, what: string): Problem | undefined =>
    ok ? undefined : { path, message: `expected ${what}, found ${typeName(value)}` };
  switch (schema.name) {
    case DECIMAL_NAME: {
      if (!isDecimalValue(value)) return expect(false, 'Decimal ({ unscaled: bigint, scale: number })');
      const scale = schema.parameters?.[DECIMAL_SCALE_PARAMETER];
      return expect(scale === undefined || Number(scale) === value.scale, `Decimal with scale ${scale}`);
    }
    case DATE_NAME:
      return expect(isDate(value) && value.getTime() % MILLIS_PER_DAY === 0, 'Date (a Date at midnight UTC)');
    case TIME_NAME:
      return expect(
        isDate(value) && value.getTime() >= 0 && value.getTime() <= MILLIS_PER_DAY,
        'Time (a Date on 1970-01-01 UTC)',
      );
    case TIMESTAMP_NAME:
      return expect(isDate(value), 'Timestamp (a valid Date)');
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const half = 2 ** (INT_BITS[schema.type] - 1);
      return expect(
        Number.isInteger(value) && (value as number) >= -half && (value as number) < half,
        schema.type,
      );
    }
    case 'int64':
      return expect(
        (typeof value === 'bigint' && BigInt.asIntN(64, value) === value) || Number.isSafeInteger(value),
        'int64 (a bigint)',
      );
    case 'float':
    case 'double':
      return expect(typeof value === 'number', `${schema.type} (a number)`);
    case 'boolean':
    case 'string':
      return expect(typeof value === schema.type, schema.type);
    case 'bytes':
      return expect(value instanceof Uint8Array, 'bytes (a Uint8Array)');
    case 'array':
      if (!Array.isArray(value)) return expect(false, 'array');
      if (!schema.items)
        return { path, message: 'an array schema needs its "items"', code: 'CONVERTER_SCHEMA' };
      for (let i = 0; i < value.length; i++) {
        const problem = findProblem(schema.items, value[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    case 'map': {
      const entries =
        value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : undefined;
      if (!entries) return expect(false, 'map (a Map or a plain object)');
      const { keys, values } = schema;
      if (!keys || !values)
        return { path, message: 'a map schema needs its "keys" and "values"', code: 'CONVERTER_SCHEMA' };
      for (const [key, item] of entries) {
        const at = `${path}[${typeof key === 'string' ? JSON.stringify(key) : String(key)}]`;
        const problem = findProblem(keys, key, `${at}(key)`) ?? findProblem(values, item, at);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'struct': {
      if (!isPlainObject(value)) return expect(false, 'struct (a plain object)');
      if (!schema.fields)
        return { path, message: 'a struct schema needs its "fields"', code: 'CONVERTER_SCHEMA' };
      for (const field of schema.fields) {
        const item = Object.hasOwn(value, field.field) ? value[field.field] : undefined;
        const problem = findProblem(field, item, path === '' ? field.field : `${path}.${field.field}`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

export function isDecimalValue(value: unknown): value is DecimalValue {
  return isPlainObject(value) && typeof value['unscaled'] === 'bigint' && Number.isInteger(value['scale']);
}

function isDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** An object literal or `Object.create(null)`: how structs and string-keyed maps may be given. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Map) return 'a Map';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'a Date';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
