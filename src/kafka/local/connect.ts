/**
 * Real Kafka Connect workers (standalone and distributed) started from Maven
 * Central jars, so compatibility tests and benchmarks compare pipe with the
 * thing it replaces rather than with a description of it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageOf, PipeError } from '../../errors.js';
import { waitUntil } from '../../time/wait-until.js';
import { freePort } from '../ports.js';
import { defaultKafkaVersion, resolveJars } from './jars.js';
import { type JavaProcess, logTail, runJava } from './java.js';
import { writeLogConfig } from './logging.js';
import { pluginCoordinate, resolvePlugin } from './plugins.js';

export type Properties = Record<string, string>;

interface CommonOptions {
  /** Bootstrap servers, `host:port[,host:port]`. */
  brokers: string;
  /** Added to (and overriding) the worker settings this launcher writes. */
  workerProps?: Properties;
  /**
   * Plugins to install, by short name (`debezium-postgres`, `basic-auth`) or
   * Maven coordinate: fetched into the cache on first use and put on `plugin.path`.
   */
  plugins?: string[];
  /**
   * Basic authentication on the REST API for one user, with Kafka's
   * BasicAuthSecurityRestExtension (fetched as the `basic-auth` plugin) and a
   * JAAS file in the work folder; the launcher's own checks send it too.
   * The extension goes on the class path, not plugin.path: JAAS loads its
   * login module through the request thread's class loader, which cannot see
   * a plugin's folder (every login would fail with 401).
   */
  basicAuth?: { username: string; password: string };
  version?: string;
  /** Kept after stop when given; a temporary folder removed at stop otherwise. */
  workDir?: string;
  heap?: string;
  startTimeoutMs?: number;
}

export interface StandaloneOptions extends CommonOptions {
  /** One properties map per connector, each with at least `name` and `connector.class`. */
  connectors: Properties[];
  /** Where the worker keeps source offsets; inside the work folder by default. */
  offsetsFile?: string;
}

export interface DistributedOptions extends CommonOptions {
  /** Prefix of the worker's group id and internal topic names; unique per start by default. */
  clusterName?: string;
}

export interface ConnectWorker {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  restUrl: string;
  version: string;
  workDir: string;
  logFile: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface DistributedWorker extends ConnectWorker {
  groupId: string;
  topics: { configs: string; offsets: string; status: string };
}

/** Java's Properties.load reads ISO-8859-1 with backslash escapes; this writes what it reads back unchanged. */
function escapeProperty(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    // By UTF-16 unit, as Java's Properties escapes: a character beyond the BMP becomes its two surrogates.
    const ch = text.charAt(i);
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '=' || ch === ':' || ch === '#' || ch === '!') out += `\\${ch}`;
    else if (ch === ' ' && (isKey || i === 0)) out += '\\ ';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

export function toProperties(props: Properties): string {
  return `${Object.entries(props)
    .map(([k, v]) => `${escapeProperty(k, true)}=${escapeProperty(v, false)}`)
    .join('\n')}\n`;
}

/** The settings both modes share: JSON with schemas, as in Connect's shipped worker files. */
function baseWorkerProps(brokers: string, port: number): Properties {
  return {
    'bootstrap.servers': brokers,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    'offset.flush.interval.ms': '10000',
    listeners: `http://127.0.0.1:${port}`,
    // connect-file and connect-json are on the class path; other plugins come
    // through plugin.path. Service-loader discovery alone avoids a slow
    // reflective scan of every jar (Debezium and Kafka's extensions ship manifests).
    'plugin.discovery': 'service_load',
  };
}

const BASIC_AUTH_EXTENSION =
  'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';

interface Extensions {
  props: Properties;
  jvmArgs: string[];
  /** Jars added to the worker's class path. */
  classpath: string[];
  /** The Authorization header the REST API wants, when it wants one. */
  authorization?: string;
}

/**
 * The worker settings and JVM options for the plugins (on `plugin.path`,
 * fetched first when they are not cached) and for basic authentication.
 */
async function extensions(options: CommonOptions, dir: string, version: string): Promise<Extensions> {
  const plugins = options.plugins ?? [];
  const props: Properties = {};
  const jvmArgs: string[] = [];
  const classpath: string[] = [];
  let authorization: string | undefined;
  if (options.basicAuth) {
    const { username, password } = options.basicAuth;
    const extension = await resolvePlugin(pluginCoordinate('basic-auth', version));
    classpath.push(...extension.jars.map((jar) => join(extension.dir, 'lib', jar)));
    const credentials = join(dir, 'rest-credentials.properties');
    await writeFile(credentials, toProperties({ [username]: password }), { mode: 0o600 });
    const jaas = join(dir, 'rest-jaas.conf');
    await writeFile(
      jaas,
      `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${credentials}";\n};\n`,
    );
    props['rest.extension.classes'] = BASIC_AUTH_EXTENSION;
    jvmArgs.push(`-Djava.security.auth.login.config=${jaas}`);
    authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (plugins.length > 0) {
    const folders = [];
    for (const plugin of plugins) folders.push(await resolvePlugin(pluginCoordinate(plugin, version)));
    props['plugin.path'] = folders.map((f) => f.dir).join(',');
  }
  return { props, jvmArgs, classpath, ...(authorization ? { authorization } : {}) };
}

async function waitForRest(
  restUrl: string,
  java: JavaProcess,
  timeoutMs: number,
  logFile: string,
  authorization: string | undefined,
): Promise<void> {
  let lastError: unknown;
  const answered = await waitUntil(
    async () => {
      if (java.hasExited()) {
        throw new PipeError('KAFKA_LAUNCH', `Kafka Connect exited during start-up:\n${logTail(logFile)}`, {
          meta: { file: logFile },
        });
      }
      try {
        const res = await fetch(`${restUrl}/`, {
          signal: AbortSignal.timeout(2000),
          ...(authorization ? { headers: { authorization } } : {}),
        });
        if (res.ok) {
          const body = (await res.json()) as { version?: string };
          if (body.version) return true;
        }
        lastError = new Error(`GET / answered ${res.status}`);
      } catch (err) {
        lastError = err;
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
  if (answered) return;
  throw new PipeError(
    'KAFKA_LAUNCH',
    `Kafka Connect's REST API did not answer in time (${messageOf(lastError)}):\n${logTail(logFile)}`,
    { meta: { file: logFile } },
  );
}

interface Launch {
  mainClass: string;
  version: string;
  workDir: string;
  temporary: boolean;
  port: number;
  args: string[];
  extensions: Extensions;
  heap?: string;
  startTimeoutMs?: number;
}

async function launch(spec: Launch): Promise<ConnectWorker> {
  const jars = await resolveJars(spec.version, 'connect');
  const logFile = join(spec.workDir, 'connect.log');
  const logArgs = await writeLogConfig(spec.workDir, {
    root: 'info',
    loggers: { 'org.apache.kafka.clients': 'warn', 'org.reflections': 'error' },
  });
  const java = runJava({
    classpath: [jars.classpath, ...spec.extensions.classpath].join(':'),
    mainClass: spec.mainClass,
    args: spec.args,
    jvmArgs: [
      `-Xmx${spec.heap ?? '1g'}`,
      '-Xms256m',
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      ...logArgs,
      ...spec.extensions.jvmArgs,
    ],
    logFile,
    cwd: spec.workDir,
  });
  const restUrl = `http://127.0.0.1:${spec.port}`;
  const stop = async () => {
    await java.stop();
    if (spec.temporary) await rm(spec.workDir, { recursive: true, force: true });
  };
  try {
    await waitForRest(restUrl, java, spec.startTimeoutMs ?? 90000, logFile, spec.extensions.authorization);
  } catch (err) {
    await stop();
    throw err;
  }
  return { restUrl, version: spec.version, workDir: spec.workDir, logFile, pid: java.child.pid, stop };
}

async function prepareDir(workDir: string | undefined, prefix: string) {
  const temporary = workDir === undefined;
  const dir = workDir ?? (await mkdtemp(join(tmpdir(), prefix)));
  await mkdir(dir, { recursive: true });
  return { dir, temporary };
}

/**
 * `ConnectStandalone worker.properties connector.properties...`: the
 * connectors start with the worker, offsets go to a local file.
 */
export async function startConnectStandalone(options: StandaloneOptions): Promise<ConnectWorker> {
  const { dir, temporary } = await prepareDir(options.workDir, 'pipe-connect-standalone-');
  const port = await freePort();
  const version = options.version ?? defaultKafkaVersion();
  const extra = await extensions(options, dir, version);
  const workerFile = join(dir, 'worker.properties');
  await writeFile(
    workerFile,
    toProperties({
      ...baseWorkerProps(options.brokers, port),
      'offset.storage.file.filename': options.offsetsFile ?? join(dir, 'connect.offsets'),
      ...extra.props,
      ...options.workerProps,
    }),
  );
  const connectorFiles: string[] = [];
  for (const [i, connector] of options.connectors.entries()) {
    const file = join(dir, `connector-${i}.properties`);
    await writeFile(file, toProperties(connector));
    connectorFiles.push(file);
  }
  return launch({
    mainClass: 'org.apache.kafka.connect.cli.ConnectStandalone',
    version,
    workDir: dir,
    temporary,
    port,
    args: [workerFile, ...connectorFiles],
    extensions: extra,
    heap: options.heap,
    startTimeoutMs: options.startTimeoutMs,
  });
}

/**
 * `ConnectDistributed worker.properties`: configs, offsets and status in
 * Kafka topics (replication factor 1 for the single local broker);
 * connectors are added through the REST API (see `putConnector`).
 */
export async function startConnectDistributed(options: DistributedOptions): Promise<DistributedWorker> {
  const { dir, temporary } = await prepareDir(options.workDir, 'pipe-connect-distributed-');
  const port = await freePort();
  const name = options.clusterName ?? `connect-${Date.now().toString(36)}`;
  const topics = { configs: `${name}-configs`, offsets: `${name}-offsets`, status: `${name}-status` };
  const version = options.version ?? defaultKafkaVersion();
  const extra = await extensions(options, dir, version);
  const workerFile = join(dir, 'worker.properties');
  await writeFile(
    workerFile,
    toProperties({
      ...baseWorkerProps(options.brokers, port),
      'group.id': name,
      'config.storage.topic': topics.configs,
      'offset.storage.topic': topics.offsets,
      'status.storage.topic': topics.status,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'rest.advertised.host.name': '127.0.0.1',
      'rest.advertised.port': String(port),
      ...extra.props,
      ...options.workerProps,
    }),
  );
  const worker = await launch({
    mainClass: 'org.apache.kafka.connect.cli.ConnectDistributed',
    version,
    workDir: dir,
    temporary,
    port,
    args: [workerFile],
    extensions: extra,
    heap: options.heap,
    startTimeoutMs: options.startTimeoutMs,
  });
  return { ...worker, groupId: name, topics };
}

async function rest(restUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${restUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
  } catch (err) {
    throw new PipeError('KAFKA_REQUEST', `Kafka Connect ${method} ${path} failed: ${messageOf(err)}`, {
      cause: err,
      retriable: true,
    });
  }
  const text = await res.text();
  if (!res.ok) {
    throw new PipeError('KAFKA_REQUEST', `Kafka Connect ${method} ${path} answered ${res.status}: ${text}`, {
      retriable: res.status >= 500 || res.status === 409,
      meta: { status: res.status },
    });
  }
  return text ? JSON.parse(text) : undefined;
}

/** `PUT /connectors/{name}/config`: creates or updates, idempotent. */
export async function putConnector(restUrl: string, name: string, config: Properties): Promise<void> {
  await rest(restUrl, 'PUT', `/connectors/${encodeURIComponent(name)}/config`, config);
}

export async function deleteConnector(restUrl: string, name: string): Promise<void> {
  await rest(restUrl, 'DELETE', `/connectors/${encodeURIComponent(name)}`);
}

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: Array<{ id: number; state: string; worker_id: string; trace?: string }>;
  type?: string;
}

export async function connectorStatus(restUrl: string, name: string): Promise<ConnectorStatus> {
  return (await rest(restUrl, 'GET', `/connectors/${encodeURIComponent(name)}/status`)) as ConnectorStatus;
}

/**
 * Waits until the connector and at least one task run; a FAILED task ends the
 * wait at once with its stack trace.
 */
export async function waitForConnectorRunning(
  restUrl: string,
  name: string,
  timeoutMs = 60000,
): Promise<ConnectorStatus> {
  let last: unknown;
  const running = await waitUntil(
    async () => {
      try {
        const status = await connectorStatus(restUrl, name);
        const failed = [status.connector, ...status.tasks].find((s) => s.state === 'FAILED');
        if (failed) {
          throw new PipeError(
            'CONNECTOR_FAILED',
            `Kafka Connect connector ${name} failed:\n${failed.trace ?? ''}`,
            {
              meta: { resource: name },
            },
          );
        }
        if (
          status.connector.state === 'RUNNING' &&
          status.tasks.length > 0 &&
          status.tasks.every((t) => t.state === 'RUNNING')
        ) {
          return status;
        }
        last = `connector ${status.connector.state}, tasks ${status.tasks.map((t) => t.state).join(',') || 'none'}`;
      } catch (err) {
        if (err instanceof PipeError && err.code === 'CONNECTOR_FAILED') throw err;
        last = messageOf(err);
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
  if (running) return running;
  throw new PipeError('TIMEOUT', `Kafka Connect connector ${name} did not reach RUNNING (${String(last)})`, {
    meta: { resource: name },
  });
}
