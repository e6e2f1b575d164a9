/**
 * The resolved desired state: what a project's files mean once they are
 * parsed, interpolated, validated and given their defaults. The file formats
 * are described by the JSON Schemas in `schemas/` (and the types generated
 * from them); this model is the single internal shape every later stage
 * (plan, apply, worker) reads, so those stages never see raw YAML.
 */

/** Where a resource was declared, for messages that point back at the YAML. */
export interface Origin {
  file: string;
  line: number;
  column: number;
  /**
   * Connectors on a Kafka Connect runtime: where each of their fields is
   * (`config.database.port`, `tasks`), so the cluster's verdict on a key
   * points at its line.
   */
  keys?: Record<string, Omit<Origin, 'keys'>>;
}

export type ConverterType = 'json' | 'string' | 'bytearray';

export interface ConverterSpec {
  type: ConverterType;
  /** JsonConverter's `schemas.enable`; ignored by other converters. */
  schemas: boolean;
  /** JsonConverter's `decimal.format`. */
  decimalFormat: 'BASE64' | 'NUMERIC';
}

/** A predicate a transform refers to (the pipeline's `predicates:`), resolved into the transform. */
export interface PredicateSpec {
  name: string;
  /** Kafka Connect's class name, whichever name the YAML used. */
  type: string;
  config: Record<string, unknown>;
}

export interface TransformSpec {
  name: string;
  /** Kafka Connect's class name (`org.apache.kafka.connect.transforms.HoistField$Value`), whichever name the YAML used. */
  type: string;
  config: Record<string, unknown>;
  predicate?: PredicateSpec;
  negate: boolean;
}

export interface ErrorPolicy {
  tolerance: 'none' | 'all';
  deadLetterTopic?: string;
  retries: number;
}

export type TargetState = 'running' | 'paused' | 'stopped';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Topic configs as Kafka holds them: every value a string (`"604800000"`). */
  config: Record<string, string>;
  protect: boolean;
  description?: string;
  labels: Record<string, string>;
  origin: Origin;
}

export interface ConnectorSpec {
  kind: 'source' | 'sink';
  name: string;
  /** `file`, `datagen`, `console`, or `connect:<java class>`. */
  connector: string;
  /** The runtime (a name under `runtimes`) that runs it; absent: the embedded worker. */
  runtime?: string;
  tasks: number;
  /** Sources: the topic written to. */
  topic?: string;
  /** Sinks: the topics read, or a regex of them. */
  topics?: string[];
  topicsRegex?: string;
  /** The connector's own settings, typed as its config schema declares them. */
  config: Record<string, unknown>;
  key: ConverterSpec;
  value: ConverterSpec;
  header: ConverterSpec;
  transforms: TransformSpec[];
  errors: ErrorPolicy;
  state: TargetState;
  protect: boolean;
  description?: string;
  /**
   * Dotted paths (relative to this spec, e.g. `config.password`) whose values
   * are secrets: they came from `${env:…}`/`${file:…}` or the schema marks them
   * sensitive. Renderers print `(sensitive)` for them.
   */
  sensitive: string[];
  /**
   * Secrets given by `${env:…}` or `${file:…}`: JSON pointer within this spec
   * (`/config/password`; keys may hold dots) → the value's text with those
   * references unresolved. State records store this text in place
   * of the secret, and the worker resolves it where it runs, as Kafka
   * Connect's config providers do (src/state/secrets.ts).
   */
  sealed?: Record<string, string>;
  origin: Origin;
}

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  ssl?: boolean | { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface StateSettings {
  /** Prefix of the compacted state topics: `<prefix>.configs`, `.offsets`, `.status`. */
  topicPrefix: string;
  replicationFactor: number;
}

export interface WorkerSettings {
  offsetStorage: 'kafka' | 'file';
  /** Used when offsetStorage is `file`. */
  offsetFile: string;
  offsetFlushIntervalMs: number;
  /** Records and their source offsets in one transaction (offsetStorage is then `kafka`). */
  exactlyOnce: boolean;
  restPort?: number;
  /** host:port of the worker's HTTP server (src/worker/http/). */
  httpListen: string;
  /** HTTPS instead of HTTP; with `ca`, client certificates signed by it are required. PEM texts. */
  httpTls?: HttpTlsSettings;
  /** Basic authentication on every route but `/health`. */
  httpBasicAuth?: { username: string; password: string };
  /** Connect's REST API may create, change and delete connectors (drift the next plan shows); absent: 409. */
  httpAllowWrites?: boolean;
}

export interface HttpTlsSettings {
  cert: string;
  key: string;
  ca?: string;
}

/** The built-in runtime: pipe's own worker (`pipe run`, `pipe up`). */
export const EMBEDDED_RUNTIME = 'embedded';

/** A Kafka Connect cluster in distributed mode, driven through its REST API. */
export interface ConnectRuntimeSpec {
  name: string;
  type: 'connect';
  /** REST URLs of workers of one cluster, without a trailing slash. */
  urls: string[];
  auth?: { basic: { username: string; password: string } };
  /** ca, cert and key: absolute paths of PEM files, or PEM text. */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** Names of the workers' config providers: secrets are sent as references to them. */
  providers: { env?: string; file?: string; dir?: string };
  /** `resolve`: secrets are sent as values (plans warn); `references`: as provider references only. */
  secrets: 'references' | 'resolve';
  requestTimeoutMs: number;
  /** How long one operation retries across the URLs before it fails. */
  deadlineMs: number;
}

export interface ProjectSpec {
  name: string;
  /** Directory holding pipeline.config.yaml; relative paths in the project resolve from here. */
  dir: string;
  environment?: string;
  kafka: KafkaConnection;
  state: StateSettings;
  worker: WorkerSettings;
  /** The project's Kafka Connect runtimes by name; absent or empty when every connector runs embedded. */
  runtimes?: Record<string, ConnectRuntimeSpec>;
  /** Dotted paths of project settings that are secrets (e.g. `kafka.sasl.password`). */
  sensitive: string[];
}

/** A `moved: {from, to}` declaration: the connector at `to` was `from`, and keeps its offsets. */
export interface MovedSpec {
  from: Address;
  to: Address;
  origin: Omit<Origin, 'keys'>;
}

export interface DesiredState {
  project: ProjectSpec;
  topics: TopicSpec[];
  connectors: ConnectorSpec[];
  /** Renames declared in the pipeline files; absent when there are none. */
  moved?: MovedSpec[];
}

/** Plan addresses: `topic.orders`, `source.local-file-source`, `sink.local-file-sink`. */
export type Address = `topic.${string}` | `source.${string}` | `sink.${string}`;

export function topicAddress(name: string): Address {
  return `topic.${name}`;
}

export function connectorAddress(spec: Pick<ConnectorSpec, 'kind' | 'name'>): Address {
  return `${spec.kind}.${spec.name}`;
}
