import type { ConnectSchema, SchemaAndValue } from './data/schema.js';

/**
 * Kafka Connect's `Converter`: record bytes to Connect data and back. The
 * same converter serves keys, values and headers.
 */
export interface Converter {
  /** Reads record bytes; null bytes (a tombstone) give a null schema and value. */
  toConnectData(topic: string, bytes: Uint8Array | null): SchemaAndValue;
  /** Writes record bytes; a null schema with a null value gives null (no bytes). */
  fromConnectData(topic: string, schema: ConnectSchema | null, value: unknown): Uint8Array | null;
}
