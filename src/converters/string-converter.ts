/**
 * Kafka Connect's StringConverter: UTF-8 text. Reading gives an optional
 * string schema, and, as Java's `new String(bytes, UTF_8)`, turns invalid
 * UTF-8 into U+FFFD rather than failing; writing takes any value and writes
 * its text, as Connect writes `value.toString()`.
 */
import type { Converter } from './converter.js';
import type { ConnectSchema, SchemaAndValue } from './data/schema.js';

const OPTIONAL_STRING_SCHEMA: ConnectSchema = Object.freeze({ type: 'string', optional: true });

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export class StringConverter implements Converter {
  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: OPTIONAL_STRING_SCHEMA, value: bytes === null ? null : decoder.decode(bytes) };
  }

  fromConnectData(_topic: string, _schema: ConnectSchema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    return encoder.encode(typeof value === 'string' ? value : String(value));
  }
}
