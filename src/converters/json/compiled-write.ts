/**
 * A struct payload writer made once per schema: each field's writer is
 * chosen once instead of dispatching on the schema for every value, which is
 * what a source writing one table's rows spends its time on. A writer takes
 * only the plain case of its type (a string for a string, a bigint in range
 * for an int64, a valid Date for a Timestamp, …) and hands anything else to
 * the general writer (write-value.ts), which writes it or says what is wrong
 * with it: the text is the general writer's for every value.
 */
import { unscaledToBytes } from '../data/decimal.js';
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
import { child, type JsonContext } from './context.js';
import { decimalScale, INT_RANGES, INT64_MAX, INT64_MIN } from './value-rules.js';
import { fromConnectValue } from './write-value.js';
import { jsonString } from './writer.js';

type Write = (value: unknown, context: JsonContext) => string;

const LOGICAL_NAMES = new Set([DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME]);

const compiled = new WeakMap<ConnectSchema, Write | null>();

/** The payload text of `value` under `schema`, as `fromConnectValue(schema, value, '', context)` writes it. */
export function writePayload(schema: ConnectSchema, value: unknown, context: JsonContext): string {
  let write = compiled.get(schema);
  if (write === undefined) {
    write = compileStruct(schema) ?? null;
    compiled.set(schema, write);
  }
  return write ? write(value, context) : fromConnectValue(schema, value, '', context);
}

function compileStruct(schema: ConnectSchema): Write | undefined {
  const { fields } = schema;
  if (schema.type !== 'struct' || !Array.isArray(fields) || fields.length === 0) return undefined;
  // The general writer dispatches on a logical type's name before the type.
  if (schema.name !== undefined && LOGICAL_NAMES.has(schema.name)) return undefined;
  const names = fields.map((f) => f.field);
  // A field named like an Object.prototype member must be an own property to count, as in the general writer.
  const inherited = names.map((name) => name in Object.prototype);
  const keys = fields.map((f, i) => `${i === 0 ? '{' : ','}${jsonString(f.field)}:`);
  const writers = fields.map((f) => fieldWriter(f, child('', f.field)));
  const n = fields.length;
  return (value, context) => {
    if (!isPlainObject(value)) return fromConnectValue(schema, value, '', context);
    let out = '';
    for (let i = 0; i < n; i++) {
      // biome-ignore lint/style/noNonNullAssertion: names, keys and writers have one entry per field
      const name = names[i]!;
      const own = inherited[i] && !Object.hasOwn(value, name) ? undefined : value[name];
      // biome-ignore lint/style/noNonNullAssertion: as above
      out += keys[i]! + writers[i]!(own, context);
    }
    return `${out}}`;
  };
}

function fieldWriter(field: ConnectField, path: string): Write {
  const general: Write = (value, context) => fromConnectValue(field, value, path, context);
  const write = plainWriter(field, general);
  if (!write) return general;
  const nullText = field.optional === true && field.default == null ? 'null' : undefined;
  return (value, context) =>
    value === null || value === undefined ? (nullText ?? general(value, context)) : write(value, context);
}

/** The writer of a present value of the field's type, or undefined when only the general writer will do. */
function plainWriter(field: ConnectField, general: Write): Write | undefined {
  switch (field.name) {
    case undefined:
      break;
    case TIMESTAMP_NAME:
      return (value, context) => {
        const millis = value instanceof Date ? value.getTime() : Number.NaN;
        return Number.isNaN(millis) ? general(value, context) : String(millis);
      };
    case DECIMAL_NAME: {
      let scale: number;
      try {
        scale = decimalScale(field, '', { topic: '', decimalFormat: 'BASE64', replaceNullWithDefault: true });
      } catch {
        return undefined;
      }
      return (value, context) =>
        context.decimalFormat === 'BASE64' && isDecimalValue(value) && value.scale === scale
          ? `"${encodeBase64(unscaledToBytes(value.unscaled))}"`
          : general(value, context);
    }
    case DATE_NAME:
    case TIME_NAME:
      return undefined;
  }
  return typeWriter(field, general);
}

function typeWriter(field: ConnectField, general: Write): Write | undefined {
  switch (field.type) {
    case 'string':
      return (value, context) => (typeof value === 'string' ? jsonString(value) : general(value, context));
    case 'int64':
      return (value, context) =>
        typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX
          ? value.toString()
          : general(value, context);
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[field.type];
      return (value, context) =>
        typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
          ? String(value + 0)
          : general(value, context);
    }
    case 'boolean':
      return (value, context) =>
        value === true ? 'true' : value === false ? 'false' : general(value, context);
  }
  return undefined;
}
