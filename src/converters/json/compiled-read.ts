/**
 * A payload reader made once per schema: JSON text → Connect value in one
 * pass, with no JSON tree in between. It reads only what Connect's
 * JsonConverter writes for the schema (fields in schema order, no white
 * space, strings without escapes, integers for integer types) and gives up
 * on anything else, returning undefined: the general reader (read-value.ts)
 * then reads the payload, and says what is wrong with it. Values are the
 * ones the general reader gives for the same text.
 */
import { unscaledFromBytes } from '../data/decimal.js';
import {
  type ConnectField,
  type ConnectSchema,
  DATE_NAME,
  DECIMAL_NAME,
  TIME_NAME,
  TIMESTAMP_NAME,
} from '../data/schema.js';
import { decodeBase64 } from './base64.js';
import { INT_RANGES, INT64_MAX, INT64_MIN, MILLIS_PER_DAY } from './value-rules.js';

/** Where reading got to, and the value read; `at` is -1 when the text is not one this reader takes. */
interface Cursor {
  at: number;
  value: unknown;
}

type Read = (text: string, cursor: Cursor) => void;

const MAX_DATE_MILLIS = 8.64e15;
const GIVE_UP = -1;

const compiled = new WeakMap<ConnectSchema, Read | null>();

/** The payload of `text` read whole by the schema's compiled reader, or undefined for the general path. */
export function readCompiled(schema: ConnectSchema, text: string): { value: unknown } | undefined {
  let read = compiled.get(schema);
  if (read === undefined) {
    read = compile(schema) ?? null;
    compiled.set(schema, read);
  }
  if (read === null) return undefined;
  const cursor: Cursor = { at: 0, value: undefined };
  read(text, cursor);
  return cursor.at === text.length ? { value: cursor.value } : undefined;
}

/** Undefined for a schema with parts this reader leaves to the general one (arrays, maps, floats, defaults). */
function compile(schema: ConnectSchema): Read | undefined {
  if (schema.default != null) return undefined;
  const read = compileValue(schema);
  if (!read) return undefined;
  if (schema.optional !== true) return read;
  return (text, cursor) => {
    if (text.startsWith('null', cursor.at)) {
      cursor.at += 4;
      cursor.value = null;
    } else read(text, cursor);
  };
}

function compileValue(schema: ConnectSchema): Read | undefined {
  switch (schema.name) {
    case DECIMAL_NAME: {
      const scale = schema.parameters?.['scale'];
      if (scale === undefined || !/^[+-]?\d+$/.test(scale)) return undefined;
      return decimal(Number(scale));
    }
    case DATE_NAME:
      return integer((n) =>
        n < INT_RANGES.int32[0] || n > INT_RANGES.int32[1] ? undefined : new Date(n * MILLIS_PER_DAY),
      );
    case TIME_NAME:
      return integer((n) => (n < 0 || n > MILLIS_PER_DAY ? undefined : new Date(n)));
    case TIMESTAMP_NAME:
      return integer((n) => (Math.abs(n) > MAX_DATE_MILLIS ? undefined : new Date(n)));
  }
  switch (schema.type) {
    case 'boolean':
      return boolean;
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[schema.type];
      return integer((n) => (n < min || n > max ? undefined : n));
    }
    case 'int64':
      return int64;
    case 'string':
      return string;
    case 'bytes':
      return (text, cursor) => {
        string(text, cursor);
        if (cursor.at === GIVE_UP) return;
        const bytes = decodeBase64(cursor.value as string);
        if (bytes) cursor.value = bytes;
        else cursor.at = GIVE_UP;
      };
    case 'struct':
      return struct(schema.fields);
    default:
      return undefined;
  }
}

function struct(fields: readonly ConnectField[] | undefined): Read | undefined {
  if (fields === undefined || fields.length === 0) return undefined;
  const names: string[] = [];
  const keys: string[] = [];
  const reads: Read[] = [];
  for (const [i, field] of fields.entries()) {
    const read = compile(field);
    // `__proto__` needs defineProperty to be an own field: the general reader does that.
    if (!read || field.field === '__proto__') return undefined;
    names.push(field.field);
    keys.push(`${i === 0 ? '{' : ','}${JSON.stringify(field.field)}:`);
    reads.push(read);
  }
  return (text, cursor) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < reads.length; i++) {
      const key = keys[i] as string;
      if (!text.startsWith(key, cursor.at)) {
        cursor.at = GIVE_UP;
        return;
      }
      cursor.at += key.length;
      (reads[i] as Read)(text, cursor);
      if (cursor.at === GIVE_UP) return;
      out[names[i] as string] = cursor.value;
    }
    if (text.charCodeAt(cursor.at) !== 0x7d) {
      cursor.at = GIVE_UP;
      return;
    }
    cursor.at++;
    cursor.value = out;
  };
}

function boolean(text: string, cursor: Cursor): void {
  if (text.startsWith('true', cursor.at)) {
    cursor.at += 4;
    cursor.value = true;
  } else if (text.startsWith('false', cursor.at)) {
    cursor.at += 5;
    cursor.value = false;
  } else cursor.at = GIVE_UP;
}

/** The end of a JSON integer (`-?(0|[1-9][0-9]*)`) starting at `start`, or GIVE_UP (also for a fraction or exponent). */
function integerEnd(text: string, start: number): number {
  let pos = start;
  if (text.charCodeAt(pos) === 0x2d) pos++;
  const first = text.charCodeAt(pos);
  if (first === 0x30) pos++;
  else if (first >= 0x31 && first <= 0x39) {
    pos++;
    for (let c = text.charCodeAt(pos); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++pos));
  } else return GIVE_UP;
  const next = text.charCodeAt(pos);
  return next === 0x2e || next === 0x65 || next === 0x45 ? GIVE_UP : pos;
}

/**
 * Characters of an integer (sign included) read as a number: up to 16, the
 * number is the one Number() gives (every step before the last is exact);
 * up to 15, it is exact, so an int64 is made from it without a bigint parse.
 */
const SHORT_INTEGER = 16;
const EXACT_INTEGER = 15;

/** The integer text from `start` to `end` (checked by integerEnd, at most SHORT_INTEGER long) as a number, digit by digit. */
function shortInteger(text: string, start: number, end: number): number {
  const negative = text.charCodeAt(start) === 0x2d;
  let n = 0;
  for (let pos = negative ? start + 1 : start; pos < end; pos++) n = n * 10 + (text.charCodeAt(pos) - 0x30);
  // `+ 0` makes -0 plain 0, as Number("-0") + 0 did.
  return (negative ? -n : n) + 0;
}

/** An integer as a number, made into a value by `make` (undefined: out of its range). Long ones go the general way. */
function integer(make: (n: number) => unknown): Read {
  return (text, cursor) => {
    const end = integerEnd(text, cursor.at);
    if (end === GIVE_UP || end - cursor.at > SHORT_INTEGER) {
      cursor.at = GIVE_UP;
      return;
    }
    const value = make(shortInteger(text, cursor.at, end));
    if (value === undefined) cursor.at = GIVE_UP;
    else {
      cursor.at = end;
      cursor.value = value;
    }
  };
}

function int64(text: string, cursor: Cursor): void {
  const end = integerEnd(text, cursor.at);
  if (end === GIVE_UP) {
    cursor.at = GIVE_UP;
    return;
  }
  if (end - cursor.at <= EXACT_INTEGER) {
    cursor.value = BigInt(shortInteger(text, cursor.at, end));
    cursor.at = end;
    return;
  }
  const value = BigInt(text.slice(cursor.at, end));
  if (value < INT64_MIN || value > INT64_MAX) cursor.at = GIVE_UP;
  else {
    cursor.at = end;
    cursor.value = value;
  }
}

/** A string without escapes or control characters; anything else is left to the general reader. */
function string(text: string, cursor: Cursor): void {
  if (text.charCodeAt(cursor.at) !== 0x22) {
    cursor.at = GIVE_UP;
    return;
  }
  const start = cursor.at + 1;
  for (let pos = start; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 0x22) {
      cursor.value = text.slice(start, pos);
      cursor.at = pos + 1;
      return;
    }
    if (c === 0x5c || c < 0x20) break;
  }
  cursor.at = GIVE_UP;
}

function decimal(scale: number): Read {
  return (text, cursor) => {
    const start = cursor.at + 1;
    const length = text.charCodeAt(start + 4) === 0x22 ? 4 : text.charCodeAt(start + 8) === 0x22 ? 8 : 0;
    const small =
      length === 0 || text.charCodeAt(cursor.at) !== 0x22 ? undefined : smallUnscaled(text, start, length);
    if (small !== undefined) {
      cursor.value = { unscaled: small, scale };
      cursor.at = start + length + 1;
      return;
    }
    string(text, cursor);
    if (cursor.at === GIVE_UP) return;
    const bytes = decodeBase64(cursor.value as string);
    const unscaled = bytes && unscaledFromBytes(bytes);
    if (unscaled === undefined) cursor.at = GIVE_UP;
    else cursor.value = { unscaled, scale };
  };
}

/** Base64 digit values by character code; -1 for a character that is not one. */
const BASE64_DIGITS = (() => {
  const digits = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) digits[alphabet.charCodeAt(i)] = i;
  return digits;
})();

/**
 * The unscaled value of a Decimal whose base64 text at `start` is 4 or 8
 * characters, padded as Jackson pads it: up to 6 bytes of two's complement,
 * exact in number arithmetic, read without a buffer or a bigint per byte.
 * Undefined for anything else, which the general way reads (or refuses).
 */
function smallUnscaled(text: string, start: number, length: 4 | 8): bigint | undefined {
  let pads = 0;
  if (text.charCodeAt(start + length - 1) === 0x3d)
    pads = text.charCodeAt(start + length - 2) === 0x3d ? 2 : 1;
  let bits = 0;
  for (let i = 0; i < length - pads; i++) {
    const c = text.charCodeAt(start + i);
    const digit = c < 128 ? (BASE64_DIGITS[c] as number) : -1;
    if (digit < 0) return undefined;
    bits = bits * 64 + digit;
  }
  // Bits left over past the last whole byte are dropped, as a base64 decoder drops them.
  const byteCount = (length / 4) * 3 - pads;
  const spare = (length - pads) * 6 - byteCount * 8;
  const unsigned = Math.floor(bits / 2 ** spare);
  const top = 2 ** (8 * byteCount - 1);
  return BigInt(unsigned >= top ? unsigned - 2 * top : unsigned);
}
