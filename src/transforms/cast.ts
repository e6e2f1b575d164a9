/**
 * Cast$Key / $Value: casts fields, or the whole value, to another primitive
 * type with Java's conversions (narrowing wraps, doubles truncate toward
 * zero, text parses as `Integer.parseInt` and friends do).
 */

import { formatDecimal } from '../converters/data/decimal.js';
import type { ConnectField, ConnectSchema, DecimalValue, SchemaType } from '../converters/data/schema.js';
import { DATE_NAME, PRIMITIVE_SCHEMA_TYPES, TIME_NAME, TIMESTAMP_NAME } from '../converters/data/schema.js';
import { encodeBase64 } from '../converters/json/base64.js';
import { javaDoubleToString, javaFloatToString } from '../converters/json/java-number.js';
import { present } from '../invariant.js';
import type { TransformConfig } from './config.js';
import {
  asField,
  buildStruct,
  dataError,
  fieldValue,
  mapGet,
  requireMap,
  requireStruct,
  SchemaCache,
  schemaBasics,
} from './data.js';
import { formatDateValue } from './date-format.js';
import { JavaHashMap } from './java-map.js';
import {
  decimalToBigInt,
  decimalToDouble,
  doubleToInt,
  doubleToLong,
  type JavaClass,
  javaClassName,
  javaClassOf,
  schemaTypeOfClass,
} from './java-values.js';
import type { Side, Transformation } from './record.js';

const PURPOSE = 'cast types';
const MILLIS_PER_DAY = 86_400_000;

/** Connect's names for the cast types, as the spec spells them (case-insensitive). */
const OUTPUT_TYPES = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'] as const;
export type CastType = (typeof OUTPUT_TYPES)[number];
const SCHEMA_TYPE: Record<CastType, SchemaType> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
};
/** Java's enum names, in messages. */
const JAVA_TYPE: Record<SchemaType, string> = {
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float: 'FLOAT32',
  double: 'FLOAT64',
  boolean: 'BOOLEAN',
  string: 'STRING',
  bytes: 'BYTES',
  array: 'ARRAY',
  map: 'MAP',
  struct: 'STRUCT',
};
const ALL_TYPES = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
];

export interface CastSpec {
  /** Set when the spec is one type for the whole value. */
  whole?: CastType;
  fields: Map<string, CastType>;
}

/** Parses `spec` as Connect's `parseFieldTypes`; throws a message for the first bad entry. */
export function parseCastSpec(mappings: readonly string[]): CastSpec {
  const fields = new Map<string, CastType>();
  let whole: CastType | undefined;
  const typeOf = (text: string): CastType => {
    const name = text.trim().toLowerCase();
    if ((OUTPUT_TYPES as readonly string[]).includes(name)) return name as CastType;
    if (ALL_TYPES.includes(name))
      throw new Error(
        `Cast transformation does not support casting to ${name.toUpperCase()}; supported types are ${OUTPUT_TYPES.join(', ')}`,
      );
    throw new Error(`Invalid type found in casting spec: ${text.trim()}`);
  };
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    while (parts.length > 1 && parts.at(-1) === '') parts.pop();
    if (parts.length > 2) throw new Error(`Invalid rename mapping: ${mapping}`);
    if (parts.length === 1) whole = typeOf(present(parts[0], 'cast spec type'));
    else fields.set(present(parts[0], 'cast spec field').trim(), typeOf(present(parts[1], 'cast spec type')));
  }
  if (whole !== undefined && mappings.length > 1)
    throw new Error(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
  return whole === undefined ? { fields } : { whole, fields };
}

/** A value as Java holds it, for the conversions: integers and decimals exact, floats as doubles. */
type Held =
  | { kind: 'integer'; value: bigint }
  | { kind: 'floating'; value: number }
  | { kind: 'decimal'; value: DecimalValue }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'other'; cls: JavaClass | undefined; value: unknown };

function hold(cls: JavaClass | undefined, value: unknown): Held {
  switch (cls) {
    case 'Byte':
    case 'Short':
    case 'Integer':
    case 'Long':
      return { kind: 'integer', value: BigInt(value as number | bigint) };
    case 'Float':
    case 'Double':
      return { kind: 'floating', value: value as number };
    case 'BigDecimal':
      return { kind: 'decimal', value: value as DecimalValue };
    case 'Boolean':
      return { kind: 'boolean', value: value as boolean };
    case 'String':
      return { kind: 'string', value: value as string };
    default:
      return { kind: 'other', cls, value };
  }
}

/** `Date.fromLogical` and friends: what a logical value is cast from when the target is not string. */
function encodeLogical(schema: ConnectSchema, value: unknown): Held | undefined {
  if (!(value instanceof Date)) return undefined;
  switch (schema.name) {
    case DATE_NAME:
      return { kind: 'integer', value: BigInt(Math.floor(value.getTime() / MILLIS_PER_DAY)) };
    case TIME_NAME:
    case TIMESTAMP_NAME:
      return { kind: 'integer', value: BigInt(value.getTime()) };
  }
  return undefined;
}

function outOfRange(text: string): never {
  throw dataError(`Value (${text}) was out of range for requested data type`);
}

function unexpected(held: Held): never {
  throw dataError(
    `Unexpected type in Cast transformation: ${javaClassName(held.kind === 'other' ? held.cls : undefined)}`,
  );
}

/** Java's `Integer.parseInt` and friends: optional sign, decimal digits, in range. */
function parseInteger(text: string, bits: number): bigint {
  if (!/^[+-]?\d+$/.test(text)) outOfRange(text);
  const value = BigInt(text);
  if (BigInt.asIntN(bits, value) !== value) outOfRange(text);
  return value;
}

/** Java's `String.trim()`: every character up to U+0020 is white space. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** Java's `Double.parseDouble`: white space trimmed, an optional f/d suffix, NaN and Infinity. */
function parseFloating(text: string): number {
  const trimmed = javaTrim(text);
  const match = /^([+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))[fFdD]?$/.exec(trimmed);
  if (!match) outOfRange(text);
  return Number(match[1]);
}

function toLong(held: Held): bigint {
  switch (held.kind) {
    case 'integer':
      return held.value;
    case 'floating':
      return doubleToLong(held.value);
    case 'decimal':
      return BigInt.asIntN(64, decimalToBigInt(held.value));
    case 'boolean':
      return held.value ? 1n : 0n;
    default:
      return unexpected(held);
  }
}

function toSmallInt(held: Held, bits: 8 | 16 | 32): number {
  switch (held.kind) {
    case 'string':
      return Number(parseInteger(held.value, bits));
    case 'floating':
      return Number(BigInt.asIntN(bits, BigInt(doubleToInt(held.value))));
    case 'decimal':
      return Number(BigInt.asIntN(bits, BigInt.asIntN(32, decimalToBigInt(held.value))));
    default:
      return Number(BigInt.asIntN(bits, toLong(held)));
  }
}

function toDouble(held: Held): number {
  switch (held.kind) {
    case 'integer':
      return Number(held.value);
    case 'floating':
      return held.value;
    case 'decimal':
      return decimalToDouble(held.value);
    case 'boolean':
      return held.value ? 1 : 0;
    case 'string':
      return parseFloating(held.value);
    default:
      return unexpected(held);
  }
}

function toBoolean(held: Held): boolean {
  switch (held.kind) {
    case 'boolean':
      return held.value;
    case 'string':
      return held.value.toLowerCase() === 'true';
    default:
      return toLong(held) !== 0n;
  }
}

function toText(held: Held, schema: ConnectSchema | null): string {
  switch (held.kind) {
    case 'integer':
      return held.value.toString();
    case 'floating':
      return javaClassOf(schema, held.value) === 'Float'
        ? javaFloatToString(held.value)
        : javaDoubleToString(held.value);
    case 'decimal':
      return formatDecimal(held.value);
    case 'boolean':
      return held.value ? 'true' : 'false';
    case 'string':
      return held.value;
  }
  if (held.value instanceof Date) return formatDateValue(held.value);
  if (held.value instanceof Uint8Array) return encodeBase64(held.value);
  return unexpected(held);
}

/**
 * `castValueToType`. Without a schema the result is what JSON writes the
 * Java value as: integers as bigints, a float as the double its text reads as.
 */
function castValue(schema: ConnectSchema | null, value: unknown, target: CastType): unknown {
  if (value === null || value === undefined) return null;
  const cls = javaClassOf(schema, value);
  const inferred = schema === null ? schemaTypeOfClass(cls) : schema.type;
  if (inferred === undefined)
    throw dataError(
      `Cast transformation was passed a value of type ${javaClassName(cls)} which is not supported by Connect's data API`,
    );
  if (!PRIMITIVE_SCHEMA_TYPES.includes(inferred))
    throw dataError(
      `Cast transformation does not support casting from ${JAVA_TYPE[inferred]}; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]`,
    );
  const held =
    (schema !== null && schema.name !== undefined && target !== 'string'
      ? encodeLogical(schema, value)
      : undefined) ?? hold(cls, value);
  const schemaless = schema === null;
  switch (target) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const n = toSmallInt(held, target === 'int8' ? 8 : target === 'int16' ? 16 : 32);
      return schemaless ? BigInt(n) : n;
    }
    case 'int64':
      return held.kind === 'string' ? parseInteger(held.value, 64) : toLong(held);
    case 'float32': {
      const f = Math.fround(toDouble(held));
      return schemaless ? Number(javaFloatToString(f)) : f;
    }
    case 'float64':
      return toDouble(held);
    case 'boolean':
      return toBoolean(held);
    case 'string':
      return toText(held, schema);
  }
}

export function cast(side: Side, config: TransformConfig): Transformation {
  let spec: CastSpec;
  try {
    spec = parseCastSpec(config.nonEmptyList('spec'));
  } catch (err) {
    throw config.error('spec', `is invalid: ${(err as Error).message}`);
  }
  const withDefault = config.boolean('replace.null.with.default', true);
  const schemas = new SchemaCache();

  const castSchema = (
    base: ConnectSchema,
    target: CastType,
    basics: Partial<ConnectSchema>,
  ): ConnectSchema => {
    const out: ConnectSchema = { type: SCHEMA_TYPE[target], optional: base.optional === true, ...basics };
    if (base.default != null) out.default = castValue(base, base.default, target);
    return out;
  };
  const updatedSchema = (schema: ConnectSchema): ConnectSchema => {
    if (spec.whole !== undefined) return castSchema(schema, spec.whole, schemaBasics(schema));
    const fields: ConnectField[] = (schema.fields ?? []).map((f) => {
      const target = spec.fields.get(f.field);
      return target === undefined ? f : asField(f.field, castSchema(f, target, {}));
    });
    const out: ConnectSchema = {
      type: 'struct',
      optional: schema.optional === true,
      ...schemaBasics(schema),
      fields,
    };
    return out;
  };

  return {
    apply(record) {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      const schema = side.schema(record);
      if (schema === null) {
        if (spec.whole !== undefined) return side.with(record, null, castValue(null, value, spec.whole));
        const map = JavaHashMap.copyOf(requireMap(value, PURPOSE));
        for (const [name, target] of spec.fields) map.put(name, castValue(null, mapGet(value, name), target));
        return side.with(record, null, map.toMap());
      }
      const updated = schemas.get(schema, updatedSchema);
      if (spec.whole !== undefined) return side.with(record, updated, castValue(schema, value, spec.whole));
      const struct = requireStruct(schema, value, PURPOSE);
      const fieldsByName = new Map((schema.fields ?? []).map((f) => [f.field, f]));
      const out = buildStruct(updated, (f) => {
        const original = present(fieldsByName.get(f.field), `cast input field ${f.field}`);
        const v = fieldValue(struct, original, withDefault);
        const target = spec.fields.get(f.field);
        return target === undefined ? v : castValue(original, v, target);
      });
      return side.with(record, updated, out);
    },
  };
}
