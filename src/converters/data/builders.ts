/**
 * Helpers that build schemas the way Connect's `SchemaBuilder` and logical
 * type classes do, so source connectors do not spell out parameters and
 * version numbers by hand.
 */
import {
  type ConnectField,
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  type SchemaType,
  TIME_NAME,
  TIMESTAMP_NAME,
} from './schema.js';

/** Settings a schema may carry besides its type and children. */
export type SchemaOptions = Pick<
  ConnectSchema,
  'optional' | 'default' | 'name' | 'version' | 'doc' | 'parameters'
>;

function primitive(type: SchemaType) {
  return (options: SchemaOptions = {}): ConnectSchema => ({ type, optional: false, ...options });
}

export const Schemas = {
  int8: primitive('int8'),
  int16: primitive('int16'),
  int32: primitive('int32'),
  int64: primitive('int64'),
  float: primitive('float'),
  double: primitive('double'),
  boolean: primitive('boolean'),
  string: primitive('string'),
  bytes: primitive('bytes'),
  array(items: ConnectSchema, options: SchemaOptions = {}): ConnectSchema {
    return { type: 'array', items, optional: false, ...options };
  },
  map(keys: ConnectSchema, values: ConnectSchema, options: SchemaOptions = {}): ConnectSchema {
    return { type: 'map', keys, values, optional: false, ...options };
  },
  /**
   * A struct from `[name, schema]` pairs, or from an object whose key order
   * is the field order (JavaScript puts integer-like keys such as `"1"`
   * first: use pairs for those).
   */
  struct(
    fields: Iterable<readonly [string, ConnectSchema]> | Record<string, ConnectSchema>,
    options: SchemaOptions = {},
  ): ConnectSchema {
    const pairs = Symbol.iterator in fields ? [...fields] : Object.entries(fields);
    const list: ConnectField[] = pairs.map(([field, schema]) => ({ ...schema, field }));
    return { type: 'struct', fields: list, optional: false, ...options };
  },
  /** The same schema, optional. */
  optional<S extends ConnectSchema>(schema: S): S {
    return { ...schema, optional: true };
  },
  /** Connect's `Decimal.schema(scale)`: bytes holding the two's-complement unscaled value. */
  decimal(scale: number, options: SchemaOptions = {}): ConnectSchema {
    return {
      type: 'bytes',
      optional: false,
      name: DECIMAL_NAME,
      version: 1,
      ...options,
      parameters: { ...options.parameters, [DECIMAL_SCALE_PARAMETER]: String(scale) },
    };
  },
  /** Connect's `Date.SCHEMA`: int32 days since the epoch; values are JS Dates at UTC midnight. */
  date(options: SchemaOptions = {}): ConnectSchema {
    return { type: 'int32', optional: false, name: DATE_NAME, version: 1, ...options };
  },
  /** Connect's `Time.SCHEMA`: int32 milliseconds of the day; values are JS Dates on 1970-01-01 UTC. */
  time(options: SchemaOptions = {}): ConnectSchema {
    return { type: 'int32', optional: false, name: TIME_NAME, version: 1, ...options };
  },
  /** Connect's `Timestamp.SCHEMA`: int64 epoch milliseconds; values are JS Dates. */
  timestamp(options: SchemaOptions = {}): ConnectSchema {
    return { type: 'int64', optional: false, name: TIMESTAMP_NAME, version: 1, ...options };
  },
} as const;
