/**
 * The key, value and header converters of one connector, built from its
 * spec by the converters module (injected, so the worker's tests can pass
 * their own).
 */
import type { ConnectorSpec, ConverterSpec } from '../config/model.js';
import type { Converter } from '../converters/index.js';

export type ConverterFactory = (spec: ConverterSpec, options: { isKey: boolean }) => Converter;

export interface RecordConverters {
  key: Converter;
  value: Converter;
  header: Converter;
}

export function recordConverters(spec: ConnectorSpec, create: ConverterFactory): RecordConverters {
  return {
    key: create(spec.key, { isKey: true }),
    value: create(spec.value, { isKey: false }),
    header: create(spec.header, { isKey: false }),
  };
}

/** kafkajs wants Buffers; a converter's Uint8Array is wrapped, not copied. */
export function toBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
