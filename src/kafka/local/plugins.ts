/**
 * Kafka Connect plugins (Debezium's connectors, REST extensions) fetched from
 * Maven Central with their dependencies into the cache, one folder per
 * plugin, laid out as Connect's `plugin.path` wants: each entry is a folder
 * whose `lib/` subfolder is one plugin with its own class loader.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PipeError } from '../../errors.js';
import { cacheRoot, type FetchEvent, fetchIntoCache, mavenFailure, resolvingPom } from './jars.js';

export interface PluginCoordinate {
  groupId: string;
  artifactId: string;
  version: string;
}

/**
 * Plugins known by a short name. `{kafka}` is the Kafka release the workers
 * run: a REST extension must match its worker.
 */
export const KNOWN_PLUGINS: Record<string, string> = {
  'debezium-postgres': 'io.debezium:debezium-connector-postgres:3.6.1.Final',
  'basic-auth': 'org.apache.kafka:connect-basic-auth-extension:{kafka}',
};

/**
 * What every worker already has on its class path: a plugin's copies would
 * only be shadowed by them (Connect loads Kafka's own packages from the worker).
 */
const PROVIDED_BY_WORKER = [
  'kafka-clients',
  'connect-api',
  'connect-json',
  'connect-runtime',
  'connect-transforms',
  'slf4j-api',
  // The REST API's interfaces: a plugin's own copy breaks a REST extension with a loader constraint violation.
  'jakarta.ws.rs-api',
  'javax.ws.rs-api',
  // kafka-clients' compression libraries: a second copy of a native library in a plugin's loader fails to load.
  'lz4-java',
  'snappy-java',
  'zstd-jni',
];

/** `debezium-postgres`, or `group:artifact:version`, for the workers' Kafka release. */
export function pluginCoordinate(text: string, kafkaVersion: string): PluginCoordinate {
  const expanded = (KNOWN_PLUGINS[text] ?? text).replaceAll('{kafka}', kafkaVersion);
  const [groupId, artifactId, version, ...rest] = expanded.split(':');
  if (!groupId || !artifactId || !version || rest.length > 0) {
    throw new PipeError(
      'USAGE',
      `"${text}" is neither a known Kafka Connect plugin nor a Maven coordinate group:artifact:version`,
      {
        meta: { hint: `known plugins: ${Object.keys(KNOWN_PLUGINS).join(', ')}` },
      },
    );
  }
  return { groupId, artifactId, version };
}

export interface PluginFolder {
  coordinate: PluginCoordinate;
  /** The entry for the workers' `plugin.path`. */
  dir: string;
  jars: string[];
}

/** One plugin's folder in the cache, fetched on first use. */
export async function resolvePlugin(
  coordinate: PluginCoordinate,
  options: { onFetch?: (event: FetchEvent) => void } = {},
): Promise<PluginFolder> {
  const { groupId, artifactId, version } = coordinate;
  const dir = join(cacheRoot(), 'connect-plugins', `${groupId}.${artifactId}-${version}`);
  if (!existsSync(join(dir, '.complete'))) {
    await fetchIntoCache({
      dir,
      what: `Kafka Connect plugin ${groupId}:${artifactId}:${version}`,
      pom: resolvingPom(`plugin-${artifactId}`, version, [[groupId, artifactId, version]]),
      excludeArtifactIds: PROVIDED_BY_WORKER.filter((a) => a !== artifactId),
      failure: (run) => {
        const failure = mavenFailure(run, version);
        if (!/Could not find artifact|was not found in/.test(run.output)) return failure;
        return {
          reason: `${groupId}:${artifactId}:${version} is not on Maven Central`,
          hint: 'check the coordinate',
          remedies: [],
        };
      },
      onFetch: options.onFetch ?? (() => {}),
    });
  }
  const jars = (await readdir(join(dir, 'lib'))).filter((f) => f.endsWith('.jar')).sort();
  return { coordinate, dir, jars };
}
