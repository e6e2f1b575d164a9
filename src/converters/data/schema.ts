/**
 * Kafka Connect's data model. A schema is a plain object in the shape
 * JsonConverter writes it (`{type, optional, fields, name, version, ...}`),
 * so schemas read off the wire, written by hand and built with the helpers
 * below are the same thing. Schemas are treated as immutable: converters
 * cache their JSON text by object identity.
 */

export type SchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float'
  | 'double'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct';

/** Connect's primitive types: every type but the containers (array, map, struct). */
export const PRIMITIVE_SCHEMA_TYPES: readonly SchemaType[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float',
  'double',
  'boolean',
  'string',
  'bytes',
];

export const SCHEMA_TYPES: readonly SchemaType[] = [...PRIMITIVE_SCHEMA_TYPES, 'array', 'map', 'struct'];

export interface ConnectSchema {
  type: SchemaType;
  /** Absent means required, as in Connect's JSON. */
  optional?: boolean;
  /** Array element schema. */
  items?: ConnectSchema;
  /** Map key and value schemas. */
  keys?: ConnectSchema;
  values?: ConnectSchema;
  /** Struct fields, in order. */
  fields?: ConnectField[];
  /** The default, as a JavaScript value of this schema (not JSON text). */
  default?: unknown;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
}

/** A struct field: its schema with the field name, as Connect's JSON nests them. */
export interface ConnectField extends ConnectSchema {
  field: string;
}

/** What a converter reads: Connect's `SchemaAndValue`. Both null for a tombstone. */
export interface SchemaAndValue {
  schema: ConnectSchema | null;
  value: unknown;
}

/** Connect's exact decimal: `unscaled × 10^-scale`, as Java's BigDecimal holds it. */
export interface DecimalValue {
  unscaled: bigint;
  scale: number;
}

export const DECIMAL_NAME = 'org.apache.kafka.connect.data.Decimal';
export const DATE_NAME = 'org.apache.kafka.connect.data.Date';
export const TIME_NAME = 'org.apache.kafka.connect.data.Time';
export const TIMESTAMP_NAME = 'org.apache.kafka.connect.data.Timestamp';
export const DECIMAL_SCALE_PARAMETER = 'scale';
