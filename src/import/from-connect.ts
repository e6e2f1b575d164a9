/**
 * Connectors already running on a Kafka Connect cluster → a pipeline file
 * whose connectors run on that cluster as a pipe runtime, so that the next
 * plan adopts them (`<=`). Pure: the caller reads the cluster.
 *
 * Secrets never reach the files as values: the workers' config-provider
 * references become pipe's (`${env:NAME}`, `${file:path}`), references to
 * providers pipe does not model stay as they are (escaped, `$${…}`), and a
 * secret held in clear on the cluster (a key its plugin declares PASSWORD,
 * or named like one) becomes `${env:NAME}`, with a note saying which
 * variable to set.
 */
import type { ConnectorSpec, ConnectRuntimeSpec } from '../config/model.js';
import type { ProjectFile, RuntimeDeclaration } from '../config/types.gen.js';
import { toConnectConfig } from '../runtime/connect/mapping.js';
import { type ImportedConnector, importConnector } from './connector.js';
import { pipelineYaml, renderYaml } from './import-connect.js';
import { type ImportNote, Settings } from './settings.js';
import { BROKERS_VARIABLE } from './worker-properties.js';

export interface ClusterConnector {
  name: string;
  /** The config as `GET /connectors?expand=info` answers it, without `name`. */
  config: Record<string, string>;
  /** Keys the connector's plugin declares of type PASSWORD (from Connect's validate). */
  passwordKeys: readonly string[];
  /** Partitions with an offset on the cluster; absent where the cluster cannot say (Kafka Connect before 3.5). */
  offsets?: number;
}

export interface FromConnectOptions {
  project: string;
  pipeline: string;
  /** The runtime the connectors go on: its name, and the provider names references are read back with. */
  runtime: Pick<ConnectRuntimeSpec, 'name' | 'providers'>;
  /** Whether it is the project's default runtime (the connectors then need no `runtime:`). */
  runtimeIsDefault: boolean;
  /** Declare the runtime in a new pipeline.config.yaml, at these URLs. */
  newProjectUrls?: string[];
}

export interface FromConnectResult {
  /** pipeline.config.yaml, when the project has none yet. */
  projectFile?: string;
  pipelineFile: { path: string; text: string };
  notes: ImportNote[];
  /** Environment variables the written files expect, for the secrets the cluster held in clear. */
  secretVariables: Array<{ variable: string; connector: string; key: string }>;
}

/** The provider names a new project's runtime reads references with: the names Kafka Connect's documentation uses. */
export const CONVENTIONAL_PROVIDERS = { env: 'env', dir: 'dir' } as const;

const SECRET_NAME = /password|secret|token|credential/i;
const PROVIDER_REFERENCE = /\$\{([A-Za-z0-9_.-]+):([^}]*)\}/g;

/** `orders-cdc` + `database.password` → `ORDERS_CDC_DATABASE_PASSWORD`. */
export function secretVariable(connector: string, key: string): string {
  return `${connector}_${key}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A value as pipe's YAML says it: the workers' references turned back into
 * pipe's, other `${` escaped so pipe sends them as they are.
 */
export function pipeValue(value: string, providers: ConnectRuntimeSpec['providers']): string {
  let out = '';
  let last = 0;
  for (const m of value.matchAll(PROVIDER_REFERENCE)) {
    const [whole, provider = '', body = ''] = m;
    out += value.slice(last, m.index).replaceAll('${', '$${');
    last = m.index + whole.length;
    const dir = /^(.*):([^:]+)$/.exec(body);
    if (provider === providers.env && !body.includes(':')) out += `\${env:${body}}`;
    else if (provider === providers.dir && dir?.[1]?.startsWith('/')) out += `\${file:${dir[1]}/${dir[2]}}`;
    else out += `$${whole}`;
  }
  return out + value.slice(last).replaceAll('${', '$${');
}

function connectorOf(
  c: ClusterConnector,
  options: FromConnectOptions,
  notes: ImportNote[],
  secrets: FromConnectResult['secretVariables'],
): ImportedConnector {
  const file = `pipelines/${options.pipeline}.yaml`;
  const providers = options.runtime.providers;
  const entries: Array<[string, { value: string; line: number }]> = [['name', { value: c.name, line: 0 }]];
  for (const [key, value] of Object.entries(c.config)) {
    const secret = c.passwordKeys.includes(key) || SECRET_NAME.test(key);
    if (secret && !value.includes('${') && value !== '') {
      const variable = secretVariable(c.name, key);
      secrets.push({ variable, connector: c.name, key });
      notes.push({
        level: 'warning',
        file,
        line: 0,
        message: `${c.name}: ${key} is held in clear on the cluster; written as \${env:${variable}}: set ${variable} to its value on the Kafka Connect workers and where pipe runs. Adopting the connector replaces the value on the cluster with the reference (a restart)`,
      });
      entries.push([key, { value: `\${env:${variable}}`, line: 0 }]);
      continue;
    }
    entries.push([key, { value: pipeValue(value, providers), line: 0 }]);
  }
  const imported = importConnector(new Settings(file, entries), c.name, notes, { keepUnknownSettings: true });
  if (!options.runtimeIsDefault) {
    (imported.declaration as { runtime?: string }).runtime = options.runtime.name;
  }
  return imported;
}

function newProjectYaml(options: FromConnectOptions, urls: string[], imported: ImportedConnector[]): string {
  const declaration: RuntimeDeclaration = { type: 'connect', urls: urls as [string, ...string[]] };
  const text = JSON.stringify(imported.map((c) => c.declaration));
  // Only the providers the connectors' secrets need: a plan says which worker settings each one takes.
  const providers = {
    ...(text.includes('${env:') ? { env: options.runtime.providers.env ?? CONVENTIONAL_PROVIDERS.env } : {}),
    ...(text.includes('${file:') ? { dir: options.runtime.providers.dir ?? CONVENTIONAL_PROVIDERS.dir } : {}),
  };
  if (Object.keys(providers).length > 0) declaration.providers = providers;
  const file: ProjectFile = {
    version: 1,
    project: options.project,
    kafka: { brokers: `\${env:${BROKERS_VARIABLE}:-localhost:9092}` },
    runtimes: { [options.runtime.name]: declaration },
    runtime: options.runtime.name,
  };
  return renderYaml(file, './schemas/project.schema.json');
}

export function importFromConnect(
  connectors: readonly ClusterConnector[],
  options: FromConnectOptions,
): FromConnectResult {
  const notes: ImportNote[] = [];
  const secretVariables: FromConnectResult['secretVariables'] = [];
  const imported = connectors.map((c) => connectorOf(c, options, notes, secretVariables));
  const path = `pipelines/${options.pipeline}.yaml`;
  notes.push({
    level: 'note',
    file: path,
    line: 0,
    message:
      'the topics these connectors use are not declared: pipe leaves them as they are on the cluster; declare them under topics: to manage them',
  });
  const result: FromConnectResult = {
    pipelineFile: { path, text: pipelineYaml(options.pipeline, imported, notes, { declareTopics: false }) },
    notes,
    secretVariables,
  };
  if (options.newProjectUrls) result.projectFile = newProjectYaml(options, options.newProjectUrls, imported);
  return result;
}

/**
 * The keys pipe would write when it adopts the connector (each one a
 * restart): what the cluster lacks or holds otherwise. Empty when the
 * connector is taken over as it is.
 */
export function adoptionChanges(
  spec: ConnectorSpec,
  runtime: ConnectRuntimeSpec,
  projectDir: string,
  live: Readonly<Record<string, string>>,
): string[] {
  const mapped = toConnectConfig(spec, runtime, projectDir);
  if (!mapped.ok) return [mapped.field];
  const keys = new Set([...Object.keys(mapped.config), ...Object.keys(live)]);
  return [...keys].filter((k) => mapped.config[k] !== live[k]).sort();
}
