/**
 * pipe's connector model → the flat string config Kafka Connect takes, and
 * back to the pipe field a Connect key came from (for errors at the YAML
 * position). Pure, so the planner computes what a connector should look like
 * on the cluster and compares it with what is there.
 */
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { ConnectorSpec, ConnectRuntimeSpec, ConverterSpec } from '../../config/model.js';
import { sealSpec } from '../../state/secrets.js';
import { connectTransformProperties } from '../../transforms/connect-properties.js';

export const FILE_SOURCE_CLASS = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
export const FILE_SINK_CLASS = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

const CONVERTER_CLASS: Record<ConverterSpec['type'], string> = {
  json: 'org.apache.kafka.connect.json.JsonConverter',
  string: 'org.apache.kafka.connect.storage.StringConverter',
  bytearray: 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

export type Mapped =
  | { ok: true; config: Record<string, string>; connectorClass: string; sentSecretValues: boolean }
  | { ok: false; field: string; message: string; hint: string };

/** Connect takes every value as a string; lists as Connect's comma-separated lists. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function connectorClass(spec: Pick<ConnectorSpec, 'kind' | 'connector'>): string {
  if (spec.connector.startsWith('connect:')) return spec.connector.slice('connect:'.length);
  if (spec.connector === 'file') return spec.kind === 'source' ? FILE_SOURCE_CLASS : FILE_SINK_CLASS;
  return spec.connector;
}

function converter(prefix: string, c: ConverterSpec, out: Record<string, string>): void {
  out[prefix] = CONVERTER_CLASS[c.type];
  if (c.type !== 'json') return;
  out[`${prefix}.schemas.enable`] = String(c.schemas);
  out[`${prefix}.decimal.format`] = c.decimalFormat;
}

/** The connector's own settings: pipe's file connectors name theirs as Connect's FileStream connectors do. */
function ownConfig(spec: ConnectorSpec, config: Record<string, unknown>): Record<string, unknown> {
  if (spec.connector !== 'file') return config;
  // onTruncate and pollIntervalMs are pipe's own; FileStream has no equivalent and ignores unknown keys anyway.
  const { batchSize, onTruncate: _t, pollIntervalMs: _p, ...rest } = config;
  return spec.kind === 'source' && batchSize !== undefined ? { ...rest, 'batch.size': batchSize } : rest;
}

const REFERENCE = /\$\{(env|file):([^}]*)\}/g;

type Translation = { ok: true; text: string } | { ok: false; message: string; hint: string };

/**
 * A sealed secret's text, with pipe's references turned into the worker's
 * config-provider references: `${env:NAME}` → `${<env>:NAME}`; `${file:path}`
 * (a whole file) → `${<dir>:folder:file}` (DirectoryConfigProvider).
 */
function translateReferences(sealed: string, runtime: ConnectRuntimeSpec, projectDir: string): Translation {
  const worker = (setting: string, cls: string) =>
    `the workers of runtime "${runtime.name}" need config.providers=${setting} and config.providers.${setting}.class=${cls}, and the runtime providers: { ${setting === 'directory' ? 'dir' : setting}: ${setting} } in pipeline.config.yaml (or secrets: resolve to send values)`;
  let failure: Translation | undefined;
  const out = sealed.replace(REFERENCE, (whole, scheme: string, body: string) => {
    if (body.includes(':-')) {
      failure ??= {
        ok: false,
        message: `${whole} has a default, which a Kafka Connect config provider cannot express`,
        hint: 'drop the default and set the variable on the workers, or use secrets: resolve on the runtime',
      };
      return whole;
    }
    if (scheme === 'env') {
      const provider = runtime.providers.env;
      if (!provider) {
        failure ??= {
          ok: false,
          message: `${whole} must reach Kafka Connect as a reference, and runtime "${runtime.name}" has no env config provider`,
          hint: worker('env', 'org.apache.kafka.common.config.provider.EnvVarConfigProvider'),
        };
        return whole;
      }
      return `\${${provider}:${body.trim()}}`;
    }
    const provider = runtime.providers.dir;
    if (!provider) {
      failure ??= {
        ok: false,
        message: `${whole} must reach Kafka Connect as a reference, and runtime "${runtime.name}" has no dir config provider`,
        hint: worker('dir', 'org.apache.kafka.common.config.provider.DirectoryConfigProvider'),
      };
      return whole;
    }
    const path = isAbsolute(body.trim()) ? body.trim() : resolve(projectDir, body.trim());
    return `\${${provider}:${dirname(path)}:${basename(path)}}`;
  });
  return failure ?? { ok: true, text: out };
}

/**
 * The config pipe sends for a connector (`PUT /connectors/{name}/config`),
 * exactly as Connect returns it, minus the `name` it adds: so comparing the
 * two finds drift and nothing else.
 */
export function toConnectConfig(
  spec: Omit<ConnectorSpec, 'origin'>,
  runtime: ConnectRuntimeSpec,
  projectDir: string,
): Mapped {
  let config = spec.config;
  let sentSecretValues = false;
  if (runtime.secrets === 'resolve') {
    sentSecretValues = Object.keys(spec.sealed ?? {}).length > 0;
  } else {
    // Every secret goes as its reference, translated for the workers' providers.
    const sealed = sealSpec(spec);
    config = { ...sealed.config };
    for (const [pointer, raw] of Object.entries(spec.sealed ?? {})) {
      if (!pointer.startsWith('/config/')) {
        return {
          ok: false,
          field: pointer.slice(1).replaceAll('/', '.'),
          message: `${pointer.slice(1).replaceAll('/', '.')} holds a secret where Kafka Connect takes no reference`,
          hint: 'give secrets only in config, or use secrets: resolve on the runtime',
        };
      }
      const key = pointer.slice('/config/'.length).replaceAll('~1', '/').replaceAll('~0', '~');
      if (typeof config[key] !== 'string') continue;
      const translated = translateReferences(raw, runtime, projectDir);
      if (!translated.ok)
        return { ok: false, field: `config.${key}`, message: translated.message, hint: translated.hint };
      config[key] = translated.text;
    }
  }
  const cls = connectorClass(spec);
  const out: Record<string, string> = { 'connector.class': cls, 'tasks.max': String(spec.tasks) };
  if (spec.topic !== undefined) out['topic'] = spec.topic;
  if (spec.topics !== undefined) out['topics'] = spec.topics.join(',');
  if (spec.topicsRegex !== undefined) out['topics.regex'] = spec.topicsRegex;
  converter('key.converter', spec.key, out);
  converter('value.converter', spec.value, out);
  converter('header.converter', spec.header, out);
  out['errors.tolerance'] = spec.errors.tolerance;
  if (spec.errors.deadLetterTopic !== undefined)
    out['errors.deadletterqueue.topic.name'] = spec.errors.deadLetterTopic;
  if (spec.errors.retries > 0) {
    // Connect retries for a time, not a count: N retries about a second apart.
    out['errors.retry.timeout'] = String(spec.errors.retries * 1000);
    out['errors.retry.delay.max.ms'] = '1000';
  }
  // Types are Connect's class names already (the loader resolves short names and unwrap); predicates come along.
  Object.assign(out, connectTransformProperties(spec.transforms));
  for (const [k, v] of Object.entries(ownConfig(spec as ConnectorSpec, config))) {
    if (v !== undefined && v !== null) out[k] = text(v);
  }
  return { ok: true, config: out, connectorClass: cls, sentSecretValues };
}

/** The pipe field a Connect config key came from: `tasks.max` → `tasks`, `database.port` → `config.database.port`. */
export function pipeFieldOf(key: string, spec: Pick<ConnectorSpec, 'connector'>): string {
  const fixed: Record<string, string> = {
    'connector.class': 'connector',
    'tasks.max': 'tasks',
    topic: 'topic',
    topics: 'topics',
    'topics.regex': 'topicsRegex',
    'errors.tolerance': 'errors.tolerance',
    'errors.deadletterqueue.topic.name': 'errors.deadLetterTopic',
    'errors.retry.timeout': 'errors.retries',
    transforms: 'transforms',
  };
  if (fixed[key]) return fixed[key];
  for (const side of ['key', 'value', 'header']) if (key.startsWith(`${side}.converter`)) return side;
  if (key.startsWith('transforms.') || key === 'predicates' || key.startsWith('predicates.'))
    return 'transforms';
  if (spec.connector === 'file' && key === 'batch.size') return 'config.batchSize';
  return `config.${key}`;
}
