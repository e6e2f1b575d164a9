/**
 * Kafka Connect's ByteArrayConverter: bytes pass through untouched, with an
 * optional bytes schema.
 */
import { PipeError } from '../errors.js';
import type { Converter } from './converter.js';
import type { ConnectSchema, SchemaAndValue } from './data/schema.js';

const OPTIONAL_BYTES_SCHEMA: ConnectSchema = Object.freeze({ type: 'bytes', optional: true });

export class ByteArrayConverter implements Converter {
  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: OPTIONAL_BYTES_SCHEMA, value: bytes };
  }

  fromConnectData(topic: string, schema: ConnectSchema | null, value: unknown): Uint8Array | null {
    if (schema !== null && schema.type !== 'bytes') {
      throw new PipeError(
        'CONVERTER_SCHEMA',
        `ByteArrayConverter needs a bytes schema, found ${schema.type}`,
        {
          meta: { topic },
        },
      );
    }
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) {
      throw new PipeError('CONVERTER_DATA', 'ByteArrayConverter needs a Uint8Array value', {
        meta: { topic },
      });
    }
    return value;
  }
}
