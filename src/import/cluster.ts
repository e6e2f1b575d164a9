/**
 * Imports the connectors of a running Kafka Connect cluster: their configs
 * in one request, and which of their keys their plugins declare PASSWORD,
 * so no secret is written in clear.
 */
import type { ConnectRuntimeSpec } from '../config/model.js';
import { isPipeError, PipeError } from '../errors.js';
import { ConnectRuntime } from '../runtime/connect/runtime.js';
import {
  type ClusterConnector,
  CONVENTIONAL_PROVIDERS,
  type FromConnectResult,
  importFromConnect,
} from './from-connect.js';

/** Every connector on the cluster, or only those named (each must exist), by name. */
export async function readClusterConnectors(
  runtime: ConnectRuntime,
  names: readonly string[],
): Promise<ClusterConnector[]> {
  const { live = {} } = await runtime.read();
  const missing = names.filter((n) => !live[n]);
  if (missing.length > 0) {
    const present = Object.keys(live);
    throw new PipeError(
      'IMPORT_INVALID',
      `no connector ${missing.join(', ')} on ${runtime.client.urls.join(', ')}; it has ${present.length ? present.join(', ') : 'none'}`,
    );
  }
  const chosen = names.length > 0 ? names : Object.keys(live).sort();
  return Promise.all(
    chosen.flatMap((name) => {
      const c = live[name];
      if (!c) return [];
      return [
        Promise.all([runtime.passwordKeys(name, c.config), offsetCount(runtime, name)]).then(
          ([passwordKeys, offsets]) => ({
            name,
            config: c.config,
            passwordKeys,
            ...(offsets === undefined ? {} : { offsets }),
          }),
        ),
      ];
    }),
  );
}

/**
 * How many partitions the connector has an offset for: adopting it leaves
 * them where the cluster keeps them, which the import says. Only the count
 * is used, so the kind's ordering of a sink's partitions does not matter.
 */
async function offsetCount(runtime: ConnectRuntime, name: string): Promise<number | undefined> {
  try {
    return (await runtime.offsets('', { kind: 'source', name })).length;
  } catch (err) {
    // Before 3.5 the cluster cannot say; a connector deleted since the listing has none to keep.
    if (isPipeError(err) && (err.code === 'OFFSETS_UNSUPPORTED' || err.code === 'CONNECTOR_UNKNOWN'))
      return undefined;
    throw err;
  }
}

export interface ClusterImportOptions {
  /** The REST URL of any worker of the cluster. */
  url: string;
  /** Only these connectors; every one on the cluster when empty. */
  connectors: readonly string[];
  project: string;
  pipeline: string;
  /**
   * The runtime of an existing project whose urls include `url` (its name,
   * auth and providers are used); absent for a new project, which declares
   * one named `cluster`.
   */
  runtime?: ConnectRuntimeSpec;
  projectDir: string;
}

export interface ClusterImport extends FromConnectResult {
  runtime: ConnectRuntimeSpec;
  connectors: ClusterConnector[];
}

/** The runtime a new project declares for the cluster it was imported from. */
export const NEW_RUNTIME_NAME = 'cluster';

export async function importCluster(options: ClusterImportOptions): Promise<ClusterImport> {
  const url = options.url.replace(/\/+$/, '');
  const runtime: ConnectRuntimeSpec = options.runtime ?? {
    name: NEW_RUNTIME_NAME,
    type: 'connect',
    urls: [url],
    providers: { ...CONVENTIONAL_PROVIDERS },
    secrets: 'references',
    requestTimeoutMs: 10_000,
    deadlineMs: 30_000,
  };
  // Read through the URL given, with the runtime's credentials when the project has them.
  const reader = new ConnectRuntime({ spec: { ...runtime, urls: [url] }, projectDir: options.projectDir });
  const connectors = await readClusterConnectors(reader, options.connectors);
  if (connectors.length === 0) {
    throw new PipeError('IMPORT_INVALID', `the Kafka Connect cluster at ${url} has no connectors to import`);
  }
  const result = importFromConnect(connectors, {
    project: options.project,
    pipeline: options.pipeline,
    runtime,
    runtimeIsDefault: !options.runtime,
    ...(options.runtime ? {} : { newProjectUrls: [url] }),
  });
  return { ...result, runtime, connectors };
}

/** The runtime of a project that the URL points at, matched on its urls. */
export function runtimeAt(
  runtimes: Readonly<Record<string, ConnectRuntimeSpec>> | undefined,
  url: string,
): ConnectRuntimeSpec | undefined {
  const wanted = url.replace(/\/+$/, '');
  return Object.values(runtimes ?? {}).find((r) => r.urls.some((u) => u.replace(/\/+$/, '') === wanted));
}
