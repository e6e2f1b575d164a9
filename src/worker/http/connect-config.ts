/**
 * A connector's spec as Kafka Connect's connector config (`GET
 * /connectors/{name}/config`): every value a string, the names Connect uses.
 * It is made from the spec as stored, where a secret is its `${env:…}` or
 * `${file:…}` reference (src/state/secrets.ts); any other secret value is
 * masked, so no answer holds a secret.
 */
import type { ConnectorSpec, ConverterSpec } from '../../config/model.js';
import { connectTransformProperties } from '../../transforms/connect-properties.js';

const FILE_CLASSES = {
  source: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  sink: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
} as const;

const CONVERTER_CLASSES: Record<ConverterSpec['type'], string> = {
  json: 'org.apache.kafka.connect.json.JsonConverter',
  string: 'org.apache.kafka.connect.storage.StringConverter',
  bytearray: 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

/** Connect's name for the connector: its Java class, or pipe's own name for a connector only pipe runs. */
export function connectorClass(spec: Pick<ConnectorSpec, 'kind' | 'connector'>): string {
  if (spec.connector === 'file') return FILE_CLASSES[spec.kind];
  return spec.connector.startsWith('connect:') ? spec.connector.slice('connect:'.length) : spec.connector;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function converter(role: 'key' | 'value' | 'header', c: ConverterSpec): Record<string, string> {
  const out: Record<string, string> = { [`${role}.converter`]: CONVERTER_CLASSES[c.type] };
  if (c.type === 'json' && role !== 'header') {
    out[`${role}.converter.schemas.enable`] = String(c.schemas);
    out[`${role}.converter.decimal.format`] = c.decimalFormat;
  }
  return out;
}

/**
 * The file source's setting under FileStreamSource's name, as pipe's Connect
 * runtime sends it; settings only pipe has (onTruncate, pollIntervalMs) keep theirs.
 */
function connectName(spec: ConnectorSpec, key: string): string {
  return spec.connector === 'file' && spec.kind === 'source' && key === 'batchSize' ? 'batch.size' : key;
}

const REFERENCE = /\$\{(?:env|file):/;

/**
 * A secret given as a reference is shown as its reference; one written into
 * the YAML as it is was stored so, and is answered as `(sensitive)`, as plans
 * print it.
 */
function shown(spec: ConnectorSpec, key: string, value: string): string {
  return spec.sensitive.includes(`config.${key}`) && !REFERENCE.test(value) ? '(sensitive)' : value;
}

export function connectConfig(spec: ConnectorSpec): Record<string, string> {
  const out: Record<string, string> = {
    'connector.class': connectorClass(spec),
    name: spec.name,
    'tasks.max': String(spec.tasks),
  };
  if (spec.topic !== undefined) out['topic'] = spec.topic;
  if (spec.topics !== undefined) out['topics'] = spec.topics.join(',');
  if (spec.topicsRegex !== undefined) out['topics.regex'] = spec.topicsRegex;
  for (const [key, value] of Object.entries(spec.config))
    if (value !== undefined && value !== null) out[connectName(spec, key)] = shown(spec, key, text(value));
  Object.assign(
    out,
    converter('key', spec.key),
    converter('value', spec.value),
    converter('header', spec.header),
    connectTransformProperties(spec.transforms),
  );
  out['errors.tolerance'] = spec.errors.tolerance;
  if (spec.errors.deadLetterTopic !== undefined)
    out['errors.deadletterqueue.topic.name'] = spec.errors.deadLetterTopic;
  return out;
}
