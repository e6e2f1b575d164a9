/**
 * Kafka Connect's JsonConverter, byte for byte: with `schemasEnable` the
 * `{"schema":…,"payload":…}` envelope, without it the bare value.
 */
import { PipeError } from '../errors.js';
import type { Converter } from './converter.js';
import type { ConnectSchema, SchemaAndValue } from './data/schema.js';
import { asciiStringAt } from './json/ascii-string.js';
import { readCompiled } from './json/compiled-read.js';
import { writePayload } from './json/compiled-write.js';
import type { JsonContext } from './json/context.js';
import { toConnectValue } from './json/read-value.js';
import {
  decodeUtf8,
  isJsonObject,
  type JsonNode,
  nodeKind,
  parseJson,
  parseJsonValueAt,
} from './json/reader.js';
import { schemaFromJson, schemaToJson } from './json/schema-json.js';
import { fromConnectValue } from './json/write-value.js';
import { encodeUtf8 } from './json/writer.js';

export interface JsonConverterOptions {
  /** Connect's `schemas.enable`. */
  schemasEnable: boolean;
  /** Connect's `decimal.format`: Decimal values as base64 bytes (the default) or JSON numbers. */
  decimalFormat?: 'BASE64' | 'NUMERIC';
  /** Connect's `replace.null.with.default`: write and read a null field as its default (default true). */
  replaceNullWithDefault?: boolean;
  /** Connect's `schemas.cache.size`: how many distinct schemas are remembered each way (default 1000). */
  schemasCacheSize?: number;
}

const ENVELOPE_START = '{"schema":';
const ENVELOPE_PAYLOAD = ',"payload":';
const NULL_SCHEMA_START = Buffer.from(`${ENVELOPE_START}null${ENVELOPE_PAYLOAD}`, 'utf8');
const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });

export class JsonConverter implements Converter {
  private readonly schemasEnable: boolean;
  private readonly decimalFormat: 'BASE64' | 'NUMERIC';
  private readonly replaceNullWithDefault: boolean;
  private readonly cacheSize: number;
  /** The envelope's start by schema object, as Connect caches `asJsonSchema`. */
  private readonly envelopeStarts = new WeakMap<ConnectSchema, Buffer>();
  /** Schemas by their JSON text in the envelope, as Connect caches `asConnectSchema`. */
  private readonly schemaByText = new Map<string, ConnectSchema | null>();
  /** The envelope start (`{"schema":…,"payload":`) of the last record read, as bytes, and its schema. */
  private last: { prefix: Buffer; schema: ConnectSchema | null; plainString: boolean } | undefined;

  constructor(options: JsonConverterOptions) {
    this.schemasEnable = options.schemasEnable;
    this.decimalFormat = options.decimalFormat ?? 'BASE64';
    this.replaceNullWithDefault = options.replaceNullWithDefault ?? true;
    this.cacheSize = options.schemasCacheSize ?? 1000;
  }

  toConnectData(topic: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE;
    const context = this.context(topic);
    if (!this.schemasEnable) {
      return {
        schema: null,
        value: toConnectValue(null, parseJson(decodeUtf8(bytes, topic), topic), '', context),
      };
    }
    const repeated = this.readWithLastSchema(bytes, context);
    if (repeated) return repeated;
    const text = decodeUtf8(bytes, topic);
    return this.readCompactEnvelope(text, context) ?? this.readEnvelope(text, context);
  }

  fromConnectData(topic: string, schema: ConnectSchema | null, value: unknown): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const context = this.context(topic);
    // Made (and cached) even without the envelope: it is also the check that the schema is a Connect schema.
    const start = schema === null ? NULL_SCHEMA_START : this.envelopeStart(schema, context);
    const payload =
      schema === null ? fromConnectValue(null, value, '', context) : writePayload(schema, value, context);
    if (!this.schemasEnable) return encodeUtf8(payload);
    return envelope(start, payload);
  }

  private context(topic: string): JsonContext {
    return { topic, decimalFormat: this.decimalFormat, replaceNullWithDefault: this.replaceNullWithDefault };
  }

  /** `{"schema":…,"payload":` as bytes: the same for every record of a schema, so copied rather than encoded. */
  private envelopeStart(schema: ConnectSchema, context: JsonContext): Buffer {
    let start = this.envelopeStarts.get(schema);
    if (start === undefined) {
      start = Buffer.from(ENVELOPE_START + schemaToJson(schema, '', context) + ENVELOPE_PAYLOAD, 'utf8');
      this.envelopeStarts.set(schema, start);
    }
    return start;
  }

  /**
   * The hot path: an envelope laid out as Connect writes it (schema first, no
   * white space) reuses the schema read from identical text before. Anything
   * else returns undefined and takes the general path.
   */
  private readCompactEnvelope(text: string, context: JsonContext): SchemaAndValue | undefined {
    if (!text.startsWith(ENVELOPE_START)) return undefined;
    const schemaEnd = endOfValue(text, ENVELOPE_START.length);
    if (schemaEnd === undefined || !text.startsWith(ENVELOPE_PAYLOAD, schemaEnd)) return undefined;
    const schemaText = text.slice(ENVELOPE_START.length, schemaEnd);
    let schema = this.schemaByText.get(schemaText);
    if (schema === undefined) {
      const [node, end] = parseJsonValueAt(text, ENVELOPE_START.length, context.topic);
      if (end !== schemaEnd) return undefined;
      schema = schemaFromJson(node, 'schema', context);
      this.remember(schemaText, schema);
    }
    const payloadStart = schemaEnd + ENVELOPE_PAYLOAD.length;
    const [payload, end] = parseJsonValueAt(text, payloadStart, context.topic);
    if (end !== text.length - 1 || text.charCodeAt(end) !== 0x7d) return undefined;
    this.last = {
      prefix: Buffer.from(text.slice(0, payloadStart), 'utf8'),
      schema,
      plainString: isPlainString(schema),
    };
    return { schema, value: toConnectValue(schema, payload, '', context) };
  }

  /**
   * The hottest path: records of a topic mostly repeat the last schema, so
   * compare the envelope's first bytes with the last one's (a memcmp) and
   * decode and parse only the payload.
   */
  private readWithLastSchema(bytes: Uint8Array, context: JsonContext): SchemaAndValue | undefined {
    const last = this.last;
    if (last === undefined) return undefined;
    const { prefix } = last;
    if (bytes.length <= prefix.length || bytes[bytes.length - 1] !== 0x7d) return undefined;
    // Compared in place: a subarray view per record showed in the reader's CPU profile.
    if (prefix.compare(bytes, 0, prefix.length) !== 0) return undefined;
    const ascii = last.plainString ? asciiStringAt(bytes, prefix.length, bytes.length - 1) : undefined;
    if (ascii !== undefined) return { schema: last.schema, value: ascii };
    const text = decodeUtf8(bytes.subarray(prefix.length, bytes.length - 1), context.topic);
    const compiled = last.schema && readCompiled(last.schema, text);
    if (compiled) return { schema: last.schema, value: compiled.value };
    const parsed = parsedOrUndefined(text, context.topic);
    // More after the payload (another field, say), or JSON that does not parse: the general path says what is
    // wrong, at the offset the whole record puts it (the text here lacks the envelope's closing brace).
    if (parsed === undefined || parsed[1] !== text.length) return undefined;
    return { schema: last.schema, value: toConnectValue(last.schema, parsed[0], '', context) };
  }

  private readEnvelope(text: string, context: JsonContext): SchemaAndValue {
    const envelope = parseJson(text, context.topic);
    if (
      !isJsonObject(envelope) ||
      envelope.size !== 2 ||
      !envelope.has('schema') ||
      !envelope.has('payload')
    ) {
      throw new PipeError(
        'CONVERTER_DATA',
        `JsonConverter with schemas enabled needs an object with exactly "schema" and "payload", found ${describeEnvelope(envelope)}`,
        {
          meta: {
            topic: context.topic,
            hint: 'If the topic holds plain JSON, turn schemas off for this converter (schemas: false).',
          },
        },
      );
    }
    const schema = schemaFromJson(envelope.get('schema'), 'schema', context);
    return { schema, value: toConnectValue(schema, envelope.get('payload'), '', context) };
  }

  private remember(text: string, schema: ConnectSchema | null): void {
    if (this.schemaByText.size >= this.cacheSize) {
      const oldest = this.schemaByText.keys().next().value;
      if (oldest !== undefined) this.schemaByText.delete(oldest);
    }
    this.schemaByText.set(text, schema);
  }
}

/**
 * The envelope's bytes: its start copied, the payload encoded after it. Text
 * of one byte per character (ASCII, as most payloads are) is written as
 * latin1, which skips UTF-8's checks and gives the same bytes.
 */
function envelope(start: Buffer, payload: string): Buffer {
  const size = Buffer.byteLength(payload, 'utf8');
  const out = Buffer.allocUnsafe(start.length + size + 1);
  start.copy(out, 0);
  out.write(payload, start.length, size, size === payload.length ? 'latin1' : 'utf8');
  out[out.length - 1] = 0x7d;
  return out;
}

/** A string schema whose string payloads read as their own text (what the compiled reader's `string` gives). */
function isPlainString(schema: ConnectSchema | null): boolean {
  return schema !== null && schema.type === 'string' && schema.default == null;
}

function describeEnvelope(node: ReturnType<typeof parseJson>): string {
  if (!isJsonObject(node)) return nodeKind(node);
  return node.size === 0
    ? 'an empty object'
    : `an object with ${[...node.keys()].map((k) => `"${k}"`).join(', ')}`;
}

/**
 * Where the JSON value starting at `start` ends, found by matching brackets
 * without building it; undefined if the text ends first.
 */
function endOfValue(text: string, start: number): number | undefined {
  let depth = 0;
  let pos = start;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 0x22) {
      pos++;
      while (pos < text.length) {
        const s = text.charCodeAt(pos);
        if (s === 0x5c) pos += 2;
        else if (s === 0x22) break;
        else pos++;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && depth === 0) return pos;
    pos++;
    if (depth === 0 && (c === 0x7d || c === 0x5d)) return pos;
  }
  return undefined;
}

/** A payload's JSON and the offset after it, or undefined where it does not parse. */
function parsedOrUndefined(text: string, topic: string): [JsonNode, number] | undefined {
  try {
    return parseJsonValueAt(text, 0, topic);
  } catch {
    return undefined;
  }
}
