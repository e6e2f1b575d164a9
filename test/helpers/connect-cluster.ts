/**
 * A real Kafka Connect cluster in distributed mode for integration tests: two
 * workers of one group on the test broker, started from the project's
 * launcher (src/kafka/local/connect.ts) with the config providers pipe sends
 * secrets to (env, file, dir). One cluster per test file: it takes about 20 s
 * to start.
 */
import { inject } from 'vitest';
import { type DistributedWorker, startConnectDistributed } from '../../src/kafka/local/connect.js';
import { brokers, uniqueName, waitFor } from './kafka.js';

export interface TestCluster {
  workers: DistributedWorker[];
  urls: string[];
  version: string;
  stop(): Promise<void>;
}

export const PROVIDER_PROPS: Record<string, string> = {
  'config.providers': 'env,file,dir',
  'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
  'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
  'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
};

/** The Kafka release of the test broker (Connect runs the same), or the launcher's default for an external broker. */
function testVersion(): string | undefined {
  const v = inject('kafkaVersion');
  return v === 'external' ? undefined : v;
}

export async function startTestCluster(
  options: {
    workers?: number;
    /** Plugins for every worker (`debezium-postgres`, ...): see src/kafka/local/plugins.ts. */
    plugins?: string[];
    workerProps?: Record<string, string>;
    /** The REST API wants this user (Kafka's BasicAuthSecurityRestExtension). */
    basicAuth?: { username: string; password: string };
    /** A Kafka Connect release other than the broker's (an older cluster beside a newer broker). */
    version?: string;
  } = {},
): Promise<TestCluster> {
  const clusterName = uniqueName('pipe-cluster');
  const version = options.version ?? testVersion();
  const workerProps: Record<string, string> = {
    ...PROVIDER_PROPS,
    // Tasks of a worker that is gone move after this long (Connect's default is 5 minutes).
    'scheduled.rebalance.max.delay.ms': '3000',
    'offset.flush.interval.ms': '1000',
    ...options.workerProps,
  };
  const started = await Promise.allSettled(
    Array.from({ length: options.workers ?? 2 }, () =>
      startConnectDistributed({
        brokers: brokers(),
        clusterName,
        workerProps,
        ...(options.plugins ? { plugins: options.plugins } : {}),
        ...(options.basicAuth ? { basicAuth: options.basicAuth } : {}),
        heap: '384m',
        ...(version ? { version } : {}),
      }),
    ),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  const stop = async () => {
    await Promise.all(workers.map((w) => w.stop()));
  };
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  const urls = workers.map((w) => w.restUrl);
  // Both workers joined the group once each forwards to the leader: a connector list from each.
  await waitFor(
    'every worker to serve the connector list',
    async () => {
      for (const url of urls) {
        const res = await fetch(`${url}/connectors`, { headers: authHeaders(options.basicAuth) });
        if (!res.ok) return false;
      }
      return true;
    },
    { timeoutMs: 60000, intervalMs: 250 },
  );
  return { workers, urls, version: workers[0]!.version, stop };
}

function authHeaders(basic: { username: string; password: string } | undefined): Record<string, string> {
  if (!basic) return {};
  return { authorization: `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` };
}

/** A small REST call for tests to act on the cluster outside pipe; a 409 is an answer, not a rebalance. */
export async function restOnce(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Connect answers 409, or 500 "a rebalance is expected", while its workers rebalance. */
function rebalancing(answer: { status: number; body: unknown }): boolean {
  if (answer.status === 409) return true;
  const message = (answer.body as { message?: unknown } | undefined)?.message;
  return answer.status === 500 && typeof message === 'string' && /rebalanc/i.test(message);
}

/**
 * One REST call as a script would make it, waiting out a rebalance (as pipe's
 * own client does), so a test's direct reads see the cluster, not its churn.
 */
export async function rest(url: string, method: string, path: string, body?: unknown) {
  return waitFor(
    `${method} ${path} to answer without a rebalance`,
    async () => {
      const answer = await restOnce(url, method, path, body);
      return rebalancing(answer) ? undefined : answer;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}
