/**
 * Validated files → the resolved model (model.ts): every default filled in,
 * so plan, apply and the worker never guess. Pure: positions and secrets are
 * handed in by the reader.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  type Address,
  type ConnectorSpec,
  type ConnectRuntimeSpec,
  type ConverterSpec,
  EMBEDDED_RUNTIME,
  type KafkaConnection,
  type MovedSpec,
  type Origin,
  type ProjectSpec,
  type TopicSpec,
} from './model.js';
import { transformSpec } from './transform-spec.js';
import type {
  ConverterSettings,
  PipelineFile,
  ProjectDefaults,
  ProjectFile,
  RuntimeDeclaration,
  SinkDeclaration,
  SourceDeclaration,
} from './types.gen.js';
import { dottedPath, pointerOf } from './yaml-source.js';

const DEFAULTS = {
  clientId: 'pipe',
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 30000,
  stateReplicationFactor: 1,
  offsetStorage: 'kafka',
  offsetFile: '.pipe/offsets.json',
  // The seed's connect-standalone.properties sets 10000; Connect's own default (60000) loses more on a crash.
  offsetFlushIntervalMs: 10000,
  httpListen: '127.0.0.1:8083',
  partitions: 1,
  replicationFactor: 1,
  tasks: 1,
  runtimeRequestTimeoutMs: 10000,
  runtimeDeadlineMs: 30000,
} as const;

/** Connect's converter defaults, as the seed's worker file sets them: JSON with schemas; headers as strings. */
const CONVERTER_DEFAULTS: Record<'key' | 'value' | 'header', ConverterSettings> = {
  key: { converter: 'json', schemas: true },
  value: { converter: 'json', schemas: true },
  header: { converter: 'string' },
};

/** Config keys of Kafka Connect connectors that hold secrets, by the names Connect's plugins use. */
const SECRET_KEY = /password|secret|token|credential|sasl\.jaas\.config|private\.key/i;

export interface Provenance {
  /** Where the value at a JSON pointer is, for the resource's origin. */
  originOf(pointer: string): Origin;
  /** Pointers of secret values. */
  sensitive: ReadonlySet<string>;
  /** Original text of integers beyond JavaScript's exact range, by pointer. */
  bigIntegers: ReadonlyMap<string, string>;
  /** Secret values' text with their references unresolved, by pointer. */
  sealed: ReadonlyMap<string, string>;
}

export function normalizeProject(
  file: ProjectFile,
  dir: string,
  environment: string | undefined,
  sensitive: ReadonlySet<string>,
): ProjectSpec {
  const kafka = file.kafka;
  const connection: KafkaConnection = {
    brokers: (Array.isArray(kafka.brokers) ? kafka.brokers : kafka.brokers.split(','))
      .map((b) => b.trim())
      .filter((b) => b !== ''),
    clientId: kafka.clientId ?? DEFAULTS.clientId,
    connectionTimeoutMs: kafka.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
    requestTimeoutMs: kafka.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
  };
  if (kafka.tls !== undefined && kafka.tls !== false) connection.ssl = kafka.tls;
  if (kafka.sasl) connection.sasl = { ...kafka.sasl };
  const worker = file.worker ?? {};
  return {
    name: file.project,
    dir,
    ...(environment === undefined ? {} : { environment }),
    kafka: connection,
    state: {
      topicPrefix: file.state?.topicPrefix ?? `pipe-${file.project}`,
      replicationFactor: file.state?.replicationFactor ?? DEFAULTS.stateReplicationFactor,
    },
    worker: {
      offsetStorage: worker.offsetStorage ?? DEFAULTS.offsetStorage,
      offsetFile: resolve(dir, worker.offsetFile ?? DEFAULTS.offsetFile),
      offsetFlushIntervalMs: worker.offsetFlushIntervalMs ?? DEFAULTS.offsetFlushIntervalMs,
      exactlyOnce: worker.exactlyOnce ?? false,
      httpListen: worker.http?.listen ?? DEFAULTS.httpListen,
      ...(worker.http?.tls ? { httpTls: { ...worker.http.tls } } : {}),
      ...(worker.http?.basicAuth ? { httpBasicAuth: { ...worker.http.basicAuth } } : {}),
      ...(worker.http?.allowWrites ? { httpAllowWrites: true } : {}),
      ...(worker.restPort === undefined ? {} : { restPort: worker.restPort }),
    },
    ...(file.runtimes && Object.keys(file.runtimes).length > 0
      ? {
          runtimes: Object.fromEntries(
            Object.entries(file.runtimes).map(([name, r]) => [name, connectRuntime(name, r, dir)]),
          ),
        }
      : {}),
    sensitive: [...sensitive]
      .filter((p) => !p.startsWith('/vars/'))
      .map(dottedPath)
      .sort(),
  };
}

/** PEM given inline stays as it is; anything else is a file path from the project folder. */
function pemOrPath(value: string, dir: string): string {
  return value.includes('-----BEGIN') ? value : resolve(dir, value);
}

function connectRuntime(name: string, r: RuntimeDeclaration, dir: string): ConnectRuntimeSpec {
  const tls = r.tls;
  return {
    name,
    type: r.type,
    urls: r.urls.map((u) => u.replace(/\/+$/, '')),
    ...(r.auth?.basic ? { auth: { basic: { ...r.auth.basic } } } : {}),
    ...(tls
      ? {
          tls: {
            ...(tls.ca === undefined ? {} : { ca: pemOrPath(tls.ca, dir) }),
            ...(tls.cert === undefined ? {} : { cert: pemOrPath(tls.cert, dir) }),
            ...(tls.key === undefined ? {} : { key: pemOrPath(tls.key, dir) }),
            rejectUnauthorized: tls.rejectUnauthorized ?? true,
          },
        }
      : {}),
    providers: { ...r.providers },
    secrets: r.secrets ?? 'references',
    requestTimeoutMs: r.requestTimeoutMs ?? DEFAULTS.runtimeRequestTimeoutMs,
    deadlineMs: r.deadlineMs ?? DEFAULTS.runtimeDeadlineMs,
  };
}

export function normalizeTopics(file: PipelineFile, defaults: ProjectDefaults, at: Provenance): TopicSpec[] {
  return Object.entries(file.topics ?? {}).map(([name, topic]) => {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(topic.config ?? {})) {
      config[key] = at.bigIntegers.get(pointerOf(['topics', name, 'config', key])) ?? String(value);
    }
    return {
      name,
      partitions: topic.partitions ?? defaults.topic?.partitions ?? DEFAULTS.partitions,
      replicationFactor:
        topic.replicationFactor ?? defaults.topic?.replicationFactor ?? DEFAULTS.replicationFactor,
      config,
      protect: topic.protect ?? false,
      ...(topic.description === undefined ? {} : { description: topic.description }),
      labels: { ...topic.labels },
      origin: at.originOf(pointerOf(['topics', name])),
    };
  });
}

export function normalizeConnectors(
  file: PipelineFile,
  defaults: ProjectDefaults,
  dir: string,
  at: Provenance,
  /** The project's `runtime:`; embedded when absent. */
  projectRuntime: string = EMBEDDED_RUNTIME,
): ConnectorSpec[] {
  const predicates = file.predicates ?? {};
  const sources = Object.entries(file.sources ?? {}).map(([name, d]) =>
    connector(
      'source',
      name,
      d as SourceDeclaration & SinkDeclaration,
      defaults,
      dir,
      at,
      predicates,
      projectRuntime,
    ),
  );
  const sinks = Object.entries(file.sinks ?? {}).map(([name, d]) =>
    connector(
      'sink',
      name,
      d as SourceDeclaration & SinkDeclaration,
      defaults,
      dir,
      at,
      predicates,
      projectRuntime,
    ),
  );
  return [...sources, ...sinks];
}

function connector(
  kind: 'source' | 'sink',
  name: string,
  d: SourceDeclaration & SinkDeclaration,
  defaults: ProjectDefaults,
  dir: string,
  at: Provenance,
  predicates: PipelineFile['predicates'] & object,
  projectRuntime: string,
): ConnectorSpec {
  const base = pointerOf([`${kind}s`, name]);
  const config: Record<string, unknown> = { ...(d.config as Record<string, unknown> | undefined) };
  const isConnect = d.connector.startsWith('connect:');
  const runtime = d.runtime ?? projectRuntime;
  // Built-in file connectors' paths mean the project folder, wherever they run; Connect's own classes' mean their worker's.
  if (!isConnect && typeof config['file'] === 'string' && !isAbsolute(config['file'])) {
    config['file'] = resolve(dir, config['file']);
  }
  const sensitive = new Set<string>();
  for (const pointer of at.sensitive) {
    if (pointer.startsWith(`${base}/`)) sensitive.add(dottedPath(pointer.slice(base.length)));
  }
  if (isConnect)
    for (const key of Object.keys(config)) if (SECRET_KEY.test(key)) sensitive.add(`config.${key}`);
  const sealed: Record<string, string> = {};
  for (const [pointer, text] of at.sealed) {
    if (pointer.startsWith(`${base}/`)) sealed[pointer.slice(base.length)] = text;
  }
  return {
    kind,
    name,
    connector: d.connector,
    ...(runtime === EMBEDDED_RUNTIME ? {} : { runtime }),
    tasks: d.tasks ?? DEFAULTS.tasks,
    ...(d.topic === undefined ? {} : { topic: d.topic }),
    ...(d.topics === undefined ? {} : { topics: [...d.topics] }),
    ...(d.topicsRegex === undefined ? {} : { topicsRegex: d.topicsRegex }),
    config,
    key: converter(d.key, defaults.key, CONVERTER_DEFAULTS.key),
    value: converter(d.value, defaults.value, CONVERTER_DEFAULTS.value),
    header: converter(d.header, defaults.header, CONVERTER_DEFAULTS.header),
    transforms: (d.transforms ?? []).map((t) => transformSpec(t, predicates)),
    errors: {
      tolerance: d.errors?.tolerance ?? 'none',
      ...(d.errors?.deadLetterTopic === undefined ? {} : { deadLetterTopic: d.errors.deadLetterTopic }),
      retries: d.errors?.retries ?? 0,
    },
    state: d.state ?? 'running',
    protect: d.protect ?? false,
    ...(d.description === undefined ? {} : { description: d.description }),
    sensitive: [...sensitive].sort(),
    ...(Object.keys(sealed).length === 0 ? {} : { sealed }),
    origin:
      runtime === EMBEDDED_RUNTIME
        ? at.originOf(base)
        : { ...at.originOf(base), keys: fieldOrigins(base, d, at) },
  };
}

/** Where each field of a connector is, for Kafka Connect's verdicts on its keys. */
function fieldOrigins(
  base: string,
  d: SourceDeclaration & SinkDeclaration,
  at: Provenance,
): Record<string, Origin> {
  const keys: Record<string, Origin> = {};
  for (const field of Object.keys(d)) {
    if (field === 'config') continue;
    keys[field] = at.originOf(`${base}${pointerOf([field])}`);
  }
  for (const key of Object.keys((d.config as Record<string, unknown> | undefined) ?? {})) {
    keys[`config.${key}`] = at.originOf(`${base}${pointerOf(['config', key])}`);
  }
  return keys;
}

/**
 * Field by field: the connector's setting, else the project's default, else
 * Connect's. `schemas` and `decimalFormat` mean something only to JSON, so
 * other converters get fixed values and never show as a change.
 */
export function converter(
  own: ConverterSettings | undefined,
  project: ConverterSettings | undefined,
  connect: ConverterSettings,
): ConverterSpec {
  const type = own?.converter ?? project?.converter ?? connect.converter ?? 'json';
  if (type !== 'json') return { type, schemas: false, decimalFormat: 'BASE64' };
  return {
    type,
    schemas: own?.schemas ?? project?.schemas ?? connect.schemas ?? true,
    decimalFormat: own?.decimalFormat ?? project?.decimalFormat ?? 'BASE64',
  };
}

/** `moved:` declarations (one object or a list), each with where it is declared. */
export function normalizeMoved(file: PipelineFile, at: Provenance): MovedSpec[] {
  if (file.moved === undefined) return [];
  const list = Array.isArray(file.moved) ? file.moved : [file.moved];
  return list.map((m, i) => {
    const { keys: _keys, ...origin } = at.originOf(Array.isArray(file.moved) ? `/moved/${i}` : '/moved');
    return { from: m.from as Address, to: m.to as Address, origin };
  });
}
