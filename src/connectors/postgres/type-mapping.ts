/**
 * Connect types ↔ PostgreSQL types, both ways, and values across them. The
 * sink creates columns from Connect schemas and writes values as PostgreSQL
 * text; the source derives Connect schemas from column types and reads
 * values from PostgreSQL text (connection.ts asks for text only). One table,
 * documented in docs/CONNECTORS.md.
 */
import {
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  Decimal,
  type DecimalValue,
  Schemas,
  TIME_NAME,
  TIMESTAMP_NAME,
} from '../../converters/index.js';
import { isoText } from '../../time/iso-text.js';
import { jsonText } from '../text.js';

/** The column type `auto.create` and `auto.evolve` give a Connect schema. */
export function columnTypeOf(schema: ConnectSchema): string {
  switch (schema.name) {
    case DECIMAL_NAME:
      return 'numeric';
    case DATE_NAME:
      return 'date';
    case TIME_NAME:
      return 'time';
    case TIMESTAMP_NAME:
      return 'timestamptz';
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
      return 'smallint';
    case 'int32':
      return 'integer';
    case 'int64':
      return 'bigint';
    case 'float':
      return 'real';
    case 'double':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'text';
    case 'bytes':
      return 'bytea';
    case 'array':
    case 'map':
    case 'struct':
      return 'jsonb';
  }
}

const MILLIS_PER_DAY = 86_400_000;

/** A Connect value (of `schema`, or schemaless) as PostgreSQL input text; null stays null. */
export function toPgText(value: unknown, schema: ConnectSchema | null): string | null {
  if (value === null || value === undefined) return null;
  if (schema?.name === DATE_NAME && value instanceof Date) return isoText(value.getTime()).slice(0, 10);
  if (schema?.name === TIME_NAME && value instanceof Date) return isoText(value.getTime()).slice(11, 23);
  if (schema?.name === DECIMAL_NAME) return Decimal.format(value as DecimalValue);
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value)
        ? String(value)
        : Number.isNaN(value)
          ? 'NaN'
          : value > 0
            ? 'Infinity'
            : '-Infinity';
    case 'bigint':
    case 'boolean':
      return String(value);
  }
  if (value instanceof Date) return isoText(value.getTime());
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return jsonText(value);
}

/**
 * `toPgText` for the values of one schema, chosen once: the sink calls it
 * for every column of every row. The common types take a direct way; any
 * other value goes through `toPgText`, so the text is the same.
 */
export function pgTextOf(schema: ConnectSchema | null): (value: unknown) => string | null {
  const general = (value: unknown) => toPgText(value, schema);
  if (schema === null) return general;
  switch (schema.name) {
    case DECIMAL_NAME:
      return (value) =>
        value === null || value === undefined ? null : Decimal.format(value as DecimalValue);
    case TIMESTAMP_NAME:
      return (value) => (value instanceof Date ? isoText(value.getTime()) : general(value));
    case DATE_NAME:
    case TIME_NAME:
      return general;
  }
  switch (schema.type) {
    case 'string':
      return (value) => (typeof value === 'string' ? value : general(value));
    case 'int64':
    case 'int32':
    case 'int16':
    case 'int8':
      return (value) => (typeof value === 'bigint' ? value.toString() : general(value));
    default:
      return general;
  }
}

/** Column types the source reads, by type OID (pg_type.oid, fixed for built-in types). */
const OID = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  xml: 142,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
  inet: 869,
  cidr: 650,
  macaddr: 829,
} as const;

const TEXT_OIDS = new Set<number>([
  OID.char,
  OID.name,
  OID.text,
  OID.json,
  OID.xml,
  OID.bpchar,
  OID.varchar,
  OID.uuid,
  OID.jsonb,
  OID.inet,
  OID.cidr,
  OID.macaddr,
]);

export interface ColumnType {
  /** pg_type.oid of the column. */
  oid: number;
  /** atttypmod: numeric(p,s) keeps its scale here; -1 when unconstrained. */
  typmod: number;
  optional: boolean;
}

/**
 * The Connect schema of a column, or undefined when pipe cannot map its type.
 * `numeric` without a scale becomes a string: Connect's Decimal needs one
 * scale for every value.
 */
export function schemaOfColumn(column: ColumnType): ConnectSchema | undefined {
  const options = column.optional ? { optional: true } : {};
  switch (column.oid) {
    case OID.bool:
      return Schemas.boolean(options);
    case OID.int2:
      return Schemas.int16(options);
    case OID.int4:
      return Schemas.int32(options);
    case OID.int8:
      return Schemas.int64(options);
    case OID.float4:
      return Schemas.float(options);
    case OID.float8:
      return Schemas.double(options);
    case OID.bytea:
      return Schemas.bytes(options);
    case OID.date:
      return Schemas.date(options);
    case OID.time:
      return Schemas.time(options);
    case OID.timestamp:
    case OID.timestamptz:
      return Schemas.timestamp(options);
    case OID.numeric:
      return column.typmod < 4
        ? Schemas.string(options)
        : Schemas.decimal((column.typmod - 4) & 0xffff, options);
  }
  return TEXT_OIDS.has(column.oid) ? Schemas.string(options) : undefined;
}

/** A column's PostgreSQL text (in the UTC session connection.ts sets) as a value of `schema`. */
export function fromPgText(text: string | null, schema: ConnectSchema): unknown {
  return readerOf(schema)(text);
}

/** The reader of one column, chosen once: the source calls it for every row. */
export function readerOf(schema: ConnectSchema): (text: string | null) => unknown {
  const read = valueReader(schema);
  return (text) => (text === null ? null : read(text));
}

function valueReader(schema: ConnectSchema): (text: string) => unknown {
  switch (schema.name) {
    case DECIMAL_NAME: {
      const scale = Number(schema.parameters?.[DECIMAL_SCALE_PARAMETER] ?? 0);
      return (text) => decimalAtScale(text, scale);
    }
    case DATE_NAME:
      return (text) => new Date(`${text}T00:00:00Z`);
    case TIME_NAME:
      return (text) => new Date(Math.min(MILLIS_PER_DAY, Date.parse(`1970-01-01T${text}Z`)));
    case TIMESTAMP_NAME:
      return (text) => new Date(timestampMillis(text));
  }
  switch (schema.type) {
    case 'boolean':
      return (text) => text === 't';
    case 'int16':
    case 'int32':
    case 'float':
    case 'double':
      return Number;
    case 'int64':
      return BigInt;
    case 'bytes':
      return (text) => Buffer.from(text.slice(2), 'hex');
    default:
      return (text) => text;
  }
}

function decimalAtScale(text: string, scale: number): DecimalValue {
  const unscaled = plainUnscaled(text, scale);
  if (unscaled !== undefined) return { unscaled, scale };
  const parsed = Decimal.parse(text) ?? { unscaled: 0n, scale };
  if (parsed.scale === scale) return parsed;
  if (parsed.scale < scale) return { unscaled: parsed.unscaled * 10n ** BigInt(scale - parsed.scale), scale };
  return { unscaled: parsed.unscaled / 10n ** BigInt(parsed.scale - scale), scale };
}

/**
 * The unscaled value of `[-]digits[.digits]` text with exactly `scale`
 * fraction digits and at most 15 digits in all, read digit by digit (exact
 * in a number); undefined for anything else (NaN, more digits), which
 * Decimal.parse reads.
 */
function plainUnscaled(text: string, scale: number): bigint | undefined {
  const negative = text.charCodeAt(0) === 0x2d;
  const point = scale === 0 ? text.length : text.length - scale - 1;
  const first = negative ? 1 : 0;
  if (point <= first || text.length - first - (scale === 0 ? 0 : 1) > 15) return undefined;
  if (scale > 0 && text.charCodeAt(point) !== 0x2e) return undefined;
  let n = 0;
  for (let i = first; i < text.length; i++) {
    if (i === point) continue;
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    n = n * 10 + digit;
  }
  return BigInt(negative ? -n : n);
}

const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-]\d\d)(?::?(\d\d))?)?( BC)?$/;

/**
 * Microseconds since the epoch of a `timestamp`/`timestamptz` text: exact,
 * where a Date keeps only milliseconds (the source's offsets need the rest).
 * A timestamp without zone is read as UTC.
 */
export function timestampMicros(text: string): bigint {
  if (text === 'infinity') return 9_223_372_036_854_775_807n;
  if (text === '-infinity') return -9_223_372_036_854_775_808n;
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) throw new RangeError(`unreadable timestamp ${text}`);
  const [, y, mo, d, h, mi, s, frac = '', tzh, tzm, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  let millis = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC reads years 0 to 99 as 1900 to 1999.
  if (year >= 0 && year < 100) millis = new Date(millis).setUTCFullYear(year);
  const offsetMinutes =
    tzh === undefined ? 0 : Number(tzh) * 60 + Math.sign(Number(`${tzh}1`)) * Number(tzm ?? 0);
  return BigInt(millis - offsetMinutes * 60_000) * 1000n + BigInt(frac.padEnd(6, '0'));
}

/**
 * Milliseconds since the epoch of a `timestamp`/`timestamptz` text, the
 * microseconds rounded down. The layout PostgreSQL writes for years 1000 to
 * 9999 is read digit by digit (a column reader calls this for every row);
 * anything else goes through timestampMicros.
 */
export function timestampMillis(text: string): number {
  return layoutMillis(text) ?? Number(floorDiv(timestampMicros(text), 1000n));
}

/** `YYYY-MM-DD HH:MM:SS[.f…][±HH[[:]MM]]`, or undefined for any other text. */
function layoutMillis(t: string): number | undefined {
  if (t.length < 19 || t.charCodeAt(4) !== 0x2d || t.charCodeAt(7) !== 0x2d || t.charCodeAt(10) !== 0x20)
    return undefined;
  if (t.charCodeAt(13) !== 0x3a || t.charCodeAt(16) !== 0x3a) return undefined;
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 2);
  const day = digitsAt(t, 8, 2);
  const hour = digitsAt(t, 11, 2);
  const minute = digitsAt(t, 14, 2);
  const second = digitsAt(t, 17, 2);
  if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let millis = Date.UTC(year, month - 1, day, hour, minute, second);
  let pos = 19;
  if (t.charCodeAt(pos) === 0x2e) {
    let micros = 0;
    let places = 0;
    for (pos++; places < 6 && isDigit(t.charCodeAt(pos)); pos++, places++)
      micros = micros * 10 + t.charCodeAt(pos) - 0x30;
    if (places === 0) return undefined;
    millis += Math.floor((micros * 10 ** (6 - places)) / 1000);
  }
  if (pos === t.length) return millis;
  const sign = t.charCodeAt(pos) === 0x2b ? 1 : t.charCodeAt(pos) === 0x2d ? -1 : 0;
  const zoneHours = digitsAt(t, pos + 1, 2);
  if (sign === 0 || zoneHours < 0) return undefined;
  pos += 3;
  if (t.charCodeAt(pos) === 0x3a) pos++;
  let zoneMinutes = 0;
  if (pos < t.length) {
    zoneMinutes = digitsAt(t, pos, 2);
    pos += 2;
  }
  if (zoneMinutes < 0 || pos !== t.length) return undefined;
  return millis - sign * (zoneHours * 60 + zoneMinutes) * 60_000;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** The number the `count` digits at `start` write, or -1 if they are not all digits. */
function digitsAt(t: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = t.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + c - 0x30;
  }
  return n;
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
