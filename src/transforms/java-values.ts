/**
 * The Java classes behind Connect values, as the transforms that switch on
 * them (MaskField, Cast, Flatten) see them: from the schema when there is
 * one, else from the JavaScript value as JsonConverter reads schemaless JSON
 * (integers are Longs, other numbers Doubles).
 */
import {
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  type DecimalValue,
  type SchemaType,
  TIME_NAME,
  TIMESTAMP_NAME,
} from '../converters/data/schema.js';
import { isDecimalValue, isPlainObject } from '../converters/data/validate.js';

export type JavaClass =
  | 'Byte'
  | 'Short'
  | 'Integer'
  | 'Long'
  | 'Float'
  | 'Double'
  | 'Boolean'
  | 'String'
  | 'byte[]'
  | 'BigDecimal'
  | 'Date'
  | 'List'
  | 'Map'
  | 'Struct';

const BY_TYPE: Record<SchemaType, JavaClass> = {
  int8: 'Byte',
  int16: 'Short',
  int32: 'Integer',
  int64: 'Long',
  float: 'Float',
  double: 'Double',
  boolean: 'Boolean',
  string: 'String',
  bytes: 'byte[]',
  array: 'List',
  map: 'Map',
  struct: 'Struct',
};

const LOGICAL: Record<string, JavaClass> = {
  [DECIMAL_NAME]: 'BigDecimal',
  [DATE_NAME]: 'Date',
  [TIME_NAME]: 'Date',
  [TIMESTAMP_NAME]: 'Date',
};

export function javaClassOf(schema: ConnectSchema | null, value: unknown): JavaClass | undefined {
  if (schema !== null)
    return (schema.name !== undefined ? LOGICAL[schema.name] : undefined) ?? BY_TYPE[schema.type];
  switch (typeof value) {
    case 'bigint':
      return 'Long';
    case 'number':
      return 'Double';
    case 'boolean':
      return 'Boolean';
    case 'string':
      return 'String';
  }
  if (value instanceof Uint8Array) return 'byte[]';
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return 'List';
  if (isDecimalValue(value)) return 'BigDecimal';
  if (value instanceof Map || isPlainObject(value)) return 'Map';
  return undefined;
}

/** The `Schema.Type` Connect infers for a schemaless value (`ConnectSchema.schemaType`), or undefined. */
export function schemaTypeOfClass(cls: JavaClass | undefined): SchemaType | undefined {
  switch (cls) {
    case undefined:
    case 'Date':
    case 'BigDecimal':
      return undefined;
    case 'Struct':
      return 'struct';
  }
  return (Object.entries(BY_TYPE) as Array<[SchemaType, JavaClass]>).find(([, c]) => c === cls)?.[0];
}

/** Java's name of the class, for messages that match Connect's. */
export function javaClassName(cls: JavaClass | undefined): string {
  switch (cls) {
    case undefined:
      return 'null';
    case 'byte[]':
      return 'class [B';
    case 'BigDecimal':
      return 'class java.math.BigDecimal';
    case 'Date':
      return 'class java.util.Date';
    case 'List':
      return 'class java.util.ArrayList';
    case 'Map':
      return 'class java.util.HashMap';
    case 'Struct':
      return 'class org.apache.kafka.connect.data.Struct';
    default:
      return `class java.lang.${cls}`;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Java's `(long) d` for a double: NaN is 0, out-of-range values clamp, fractions truncate. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 2 ** 63) return INT64_MAX;
  if (d <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(d));
}

/** Java's `(int) d` for a double. */
export function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}

/** `BigDecimal.toBigInteger()`: the fraction dropped. */
export function decimalToBigInt({ unscaled, scale }: DecimalValue): bigint {
  if (scale <= 0) return unscaled * 10n ** BigInt(-scale);
  return unscaled / 10n ** BigInt(scale);
}

/** `BigDecimal.doubleValue()`, close enough for values a double can hold. */
export function decimalToDouble({ unscaled, scale }: DecimalValue): number {
  return Number(`${unscaled}e${-scale}`);
}
