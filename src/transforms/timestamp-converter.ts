/** TimestampConverter$Key / $Value: timestamps between unix numbers, text and Connect's Date, Time and Timestamp. */

import { Schemas } from '../converters/data/builders.js';
import { type ConnectSchema, DATE_NAME, TIME_NAME, TIMESTAMP_NAME } from '../converters/data/schema.js';
import { isPlainObject } from '../converters/data/validate.js';
import { present } from '../invariant.js';
import type { TransformConfig } from './config.js';
import {
  asField,
  buildStruct,
  dataError,
  fieldValue,
  mapGet,
  requireMap,
  SchemaCache,
  schemaBasics,
} from './data.js';
import { compileDateFormat, type DateFormatter } from './date-format.js';
import { compileDateParser, type DateParser } from './date-parse.js';
import { JavaHashMap } from './java-map.js';
import type { Side, Transformation } from './record.js';

const PURPOSE = 'converting timestamp formats';
const MILLIS_PER_DAY = 86_400_000;
const TARGETS = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
type TimestampType = (typeof TARGETS)[number];
const PRECISIONS = ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'] as const;
type Precision = (typeof PRECISIONS)[number];
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** `TimeUnit` conversions: toward zero when dividing, saturated when multiplying. */
function scale(value: bigint, multiply: bigint, divide: bigint): bigint {
  if (divide !== 1n) return value / divide;
  const out = value * multiply;
  return out > INT64_MAX ? INT64_MAX : out < INT64_MIN ? INT64_MIN : out;
}

const UNIT: Record<Precision, bigint> = {
  seconds: 1000n,
  milliseconds: 1n,
  microseconds: 1000n,
  nanoseconds: 1_000_000n,
};

function typeSchema(type: TimestampType, optional: boolean): ConnectSchema {
  const base =
    type === 'string'
      ? Schemas.string()
      : type === 'unix'
        ? Schemas.int64()
        : type === 'Date'
          ? Schemas.date()
          : type === 'Time'
            ? Schemas.time()
            : Schemas.timestamp();
  return optional ? Schemas.optional(base) : base;
}

function typeFromSchema(schema: ConnectSchema): TimestampType {
  if (schema.name === TIMESTAMP_NAME) return 'Timestamp';
  if (schema.name === DATE_NAME) return 'Date';
  if (schema.name === TIME_NAME) return 'Time';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'int64') return 'unix';
  throw dataError(
    `Schema ${schema.type}${schema.name ? ` (${schema.name})` : ''} does not correspond to a known timestamp type format`,
  );
}

function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint') return 'unix';
  if (typeof value === 'string') return 'string';
  throw dataError(`TimestampConverter does not support ${typeof value} objects as timestamps`);
}

export function timestampConverter(side: Side, config: TransformConfig): Transformation {
  const field = config.string('field', '');
  const target = config.oneOf('target.type', TARGETS);
  const pattern = config.string('format', '');
  const precision = config.oneOf('unix.precision', PRECISIONS, 'milliseconds');
  const withDefault = config.boolean('replace.null.with.default', true);
  if (target === 'string' && pattern.trim() === '')
    throw config.error('format', 'is required when target.type is string');
  let format: DateFormatter | undefined;
  let parse: DateParser | undefined;
  if (pattern.trim() !== '') {
    try {
      format = compileDateFormat(pattern);
    } catch (err) {
      if (target === 'string')
        throw config.error('format', `is not a date pattern pipe can write: ${(err as Error).message}`);
    }
    try {
      parse = compileDateParser(pattern);
    } catch {
      // Only needed for string input; reported per record if such input comes.
    }
  }
  const schemas = new SchemaCache();

  const toRaw = (type: TimestampType, value: unknown): Date => {
    switch (type) {
      case 'string': {
        if (typeof value !== 'string') throw dataError('Expected string timestamp to be a String');
        if (!parse)
          throw dataError(
            `Could not parse timestamp: value (${value}) with pattern (${pattern}): pipe cannot read this pattern`,
          );
        const date = parse(value);
        if (!date || Number.isNaN(date.getTime()))
          throw dataError(`Could not parse timestamp: value (${value}) does not match pattern (${pattern})`);
        return date;
      }
      case 'unix': {
        if (typeof value !== 'bigint') throw dataError('Expected Unix timestamp to be a Long');
        const millis =
          precision === 'seconds'
            ? scale(value, 1000n, 1n)
            : precision === 'milliseconds'
              ? value
              : scale(value, 1n, UNIT[precision]);
        return new Date(Number(millis));
      }
      default:
        if (!(value instanceof Date)) throw dataError(`Expected ${type} to be a java.util.Date`);
        return value;
    }
  };
  const toType = (date: Date): unknown => {
    const millis = date.getTime();
    switch (target) {
      case 'string':
        return present(format, 'string format')(date);
      case 'unix': {
        const ms = BigInt(millis);
        return precision === 'seconds'
          ? ms / 1000n
          : precision === 'milliseconds'
            ? ms
            : scale(ms, UNIT[precision], 1n);
      }
      case 'Date':
        return new Date(Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY);
      case 'Time':
        return new Date(((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
      case 'Timestamp':
        return date;
    }
  };
  const convert = (value: unknown, type?: TimestampType): unknown =>
    value === null || value === undefined ? null : toType(toRaw(type ?? inferType(value), value));

  return {
    apply(record) {
      const schema = side.schema(record);
      const value = side.value(record);
      if (schema === null) {
        if (value === null || value === undefined || field === '')
          return side.with(record, null, convert(value));
        const map = JavaHashMap.copyOf(requireMap(value, PURPOSE));
        map.put(field, convert(mapGet(value, field)));
        return side.with(record, null, map.toMap());
      }
      if (field === '')
        return side.with(
          record,
          typeSchema(target, schema.optional === true),
          convert(value, typeFromSchema(schema)),
        );
      if (value !== null && value !== undefined && (schema.type !== 'struct' || !isPlainObject(value)))
        throw dataError(`Only Struct objects supported for [${PURPOSE}]`);
      const convertStruct = (struct: Record<string, unknown> | null, updated: ConnectSchema) =>
        struct === null
          ? null
          : buildStruct(updated, (f) => {
              const original = present(
                schema.fields?.find((o) => o.field === f.field),
                `input field ${f.field}`,
              );
              const v = fieldValue(struct, original, withDefault);
              return f.field === field ? convert(v, typeFromSchema(original)) : v;
            });
      const updated = schemas.get(schema, (s) => {
        const out: ConnectSchema = {
          type: 'struct',
          optional: s.optional === true,
          ...schemaBasics(s),
          fields: (s.fields ?? []).map((f) =>
            f.field === field ? asField(f.field, typeSchema(target, f.optional === true)) : f,
          ),
        };
        if (s.default != null) out.default = convertStruct(s.default as Record<string, unknown>, out);
        return out;
      });
      return side.with(
        record,
        updated,
        convertStruct((value as Record<string, unknown> | null) ?? null, updated),
      );
    },
  };
}
