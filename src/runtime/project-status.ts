/**
 * What `pipe status` reads: the project's configs and status topics (the
 * embedded worker's reports), and the REST status of each Kafka Connect
 * runtime the project's connectors run on, one request per runtime. A
 * runtime that does not answer leaves its connectors UNASSIGNED with a
 * warning, so the rest of the project still shows.
 */
import { EMBEDDED_RUNTIME, type ProjectSpec } from '../config/model.js';
import { isPipeError, messageOf } from '../errors.js';
import { createKafka, unreachable } from '../kafka/client.js';
import { readGroupLag } from '../kafka/cluster-reads.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import { type ConfigsSnapshot, parseConfigsTopic } from '../plan/read-state.js';
import { stateTopicNames } from '../state/records.js';
import { foldStatusTopic, type StatusSnapshot } from '../state/status-topic.js';
import { existingStateTopics } from '../state/topics.js';
import { sinkGroupId } from '../worker/sink-runner.js';
import {
  type ConnectRuntimeStatus,
  type RuntimeStatusRead,
  type StatusReport,
  statusReport,
} from '../worker/status-report.js';
import { ConnectRuntime } from './connect/runtime.js';

async function readStateTopics(
  project: ProjectSpec,
): Promise<{ configs: ConfigsSnapshot; status: StatusSnapshot } | undefined> {
  const kafka = createKafka(project.kafka, { role: 'status' });
  const names = stateTopicNames(project.state.topicPrefix);
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = await existingStateTopics(admin, project.state);
    if (!existing.has(names.configs) || !existing.has(names.status)) return undefined;
  } catch (err) {
    throw isPipeError(err) ? err : unreachable(project.kafka, err);
  } finally {
    await admin.disconnect();
  }
  const [configs, status] = await Promise.all([
    readTopicToEnd(kafka, names.configs),
    readTopicToEnd(kafka, names.status),
  ]);
  return {
    configs: parseConfigsTopic(names.configs, configs),
    status: foldStatusTopic(names.status, status),
  };
}

async function readRuntime(runtime: ConnectRuntime): Promise<RuntimeStatusRead> {
  try {
    return { ok: true, status: await runtime.status() };
  } catch (err) {
    return { ok: false, code: isPipeError(err) ? err.code : 'INTERNAL', error: messageOf(err) };
  }
}

export async function readProjectStatus(
  project: ProjectSpec,
  now: () => Date = () => new Date(),
): Promise<StatusReport> {
  const state = await readStateTopics(project);
  if (!state) return { workers: [], connectors: [], diagnostics: [] };
  const used = new Set<string>();
  for (const c of Object.values(state.configs.connectors)) {
    if (c.record.project === project.name && c.record.spec.runtime) used.add(c.record.spec.runtime);
  }
  const runtimes: Record<string, ConnectRuntimeStatus> = {};
  await Promise.all(
    [...used].map(async (name) => {
      const spec = project.runtimes?.[name];
      if (!spec) return;
      const runtime = new ConnectRuntime({ spec, projectDir: project.dir });
      runtimes[name] = { urls: spec.urls, read: await readRuntime(runtime) };
    }),
  );
  const report = statusReport(state.configs, state.status, project.name, now(), runtimes);
  await withGroupLag(project, state.configs, report);
  return report;
}

/**
 * A sink's lag as its group's committed offsets give it, over every
 * partition of its topics: the tasks' own figures cover only partitions
 * they fetched from, so partitions just added, or never read, went
 * uncounted. Kept as the tasks reported it when the cluster cannot say.
 */
async function withGroupLag(
  project: ProjectSpec,
  configs: ConfigsSnapshot,
  report: StatusReport,
): Promise<void> {
  const kafka = createKafka(project.kafka, { role: 'status' });
  await Promise.all(
    report.connectors.map(async (c) => {
      const topics = configs.connectors[c.name]?.record.spec.topics;
      if (c.kind !== 'sink' || c.runtime !== EMBEDDED_RUNTIME || !topics || topics.length === 0) return;
      const lags = await readGroupLag(kafka, sinkGroupId(c.name), topics).catch(() => undefined);
      if (lags && lags.length > 0) c.lag = Number(lags.reduce((sum, p) => sum + p.lag, 0n));
    }),
  );
}
