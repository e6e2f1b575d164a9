/**
 * Reads everything a plan depends on, in a fixed, small number of requests
 * whatever the size of the project: the topic list, one metadata and one
 * describeConfigs request for the topics concerned, one read of the configs
 * topic, and one read of each runtime concerned (the status topic for the
 * embedded one, `GET /connectors?expand=info&expand=status` for a Kafka
 * Connect cluster).
 */
import { type DesiredState, EMBEDDED_RUNTIME } from '../config/model.js';
import { isPipeError, messageOf, PipeError } from '../errors.js';
import type { Admin, Kafka } from '../kafka/client.js';
import { readTopicToEnd, type TopicRecord } from '../kafka/read-topic.js';
import type { RuntimeRead } from '../runtime/runtime.js';
import { openRuntimes, type Runtimes } from '../runtime/runtimes.js';
import { leaseHolder } from '../state/lock.js';
import { stateTopicNames } from '../state/records.js';
import { retry } from '../time/retry.js';
import type { ActualRuntime, ActualState, MoveFacts } from './model.js';
import { type ConfigsSnapshot, parseConfigsTopic } from './read-state.js';
import { readTopicConfigKeys, readTopics } from './read-topics.js';
import { topicsOf } from './topic-use.js';

export interface ReadActualOptions {
  /** Records of the configs topic already read (by the lock), so apply does not read it twice. */
  configRecords?: readonly TopicRecord[];
  /** The caller's own lease, which is not "another apply in progress". */
  ownLockId?: string;
  now?: () => Date;
  /** The project's runtimes, when the caller opened them already (apply). */
  runtimes?: Runtimes;
  /** Read every runtime declared, not only those the project's connectors use (to list unmanaged connectors). */
  everyRuntime?: boolean;
}

export interface ActualRead {
  actual: ActualState;
  configs: ConfigsSnapshot;
}

export async function readActualState(
  kafka: Kafka,
  admin: Admin,
  desired: DesiredState,
  options: ReadActualOptions = {},
): Promise<ActualRead> {
  const names = stateTopicNames(desired.project.state.topicPrefix);
  let existing: Set<string>;
  try {
    existing = new Set(await retry(() => admin.listTopics()));
  } catch (err) {
    throw new PipeError('KAFKA_REQUEST', `listing topics failed: ${messageOf(err)}`, {
      cause: err,
      retriable: true,
    });
  }
  const stateTopicsExist = existing.has(names.configs);
  const project = desired.project.name;
  const runtimes =
    options.runtimes ??
    openRuntimes({
      project: desired.project,
      kafka,
      admin,
      producer: () => Promise.reject(new Error('planning never writes')),
      ...(options.now ? { now: options.now } : {}),
    });
  const reads = new Map<string, RuntimeRead>();
  const readRuntimes = (names: Iterable<string>) =>
    Promise.all(
      [...names].map(async (name) => {
        const runtime = runtimes.get(name);
        if (runtime && !reads.has(name))
          reads.set(name, await runtime.read(project, { existingTopics: existing }));
      }),
    );
  // The runtimes the plan concerns: the embedded one and those desired connectors name, read beside the
  // configs topic; then any that only a recorded connector names (it moved, or is being deleted).
  const desiredRuntimes = new Set<string>([EMBEDDED_RUNTIME]);
  for (const c of desired.connectors) if (c.runtime) desiredRuntimes.add(c.runtime);
  if (options.everyRuntime)
    for (const name of Object.keys(desired.project.runtimes ?? {})) desiredRuntimes.add(name);
  const [configRecords] = await Promise.all([
    options.configRecords ?? (stateTopicsExist ? readTopicToEnd(kafka, names.configs) : []),
    readRuntimes(desiredRuntimes),
  ]);
  const configs = parseConfigsTopic(names.configs, configRecords);
  const recordedRuntimes = Object.values(configs.connectors).flatMap((c) =>
    c.record.project === project && c.record.spec.runtime ? [c.record.spec.runtime] : [],
  );
  await readRuntimes(new Set(recordedRuntimes));
  const now = (options.now ?? (() => new Date()))();
  const lease = leaseHolder(
    configs.locks.map((l) => l.value),
    now,
  );
  for (const c of Object.values(configs.connectors)) {
    const s = reads.get(c.record.spec.runtime ?? EMBEDDED_RUNTIME)?.status.connectors[c.name];
    if (s && c.record.project === project) c.status = s;
  }
  const connectRuntimes: Record<string, ActualRuntime> = {};
  for (const [name, read] of [...reads].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!read.live) continue;
    connectRuntimes[name] = {
      live: read.live,
      ...(read.version ? { version: read.version } : {}),
      dropsOffsets: read.dropsOffsets,
      readsOffsets: read.readsOffsets,
      ...(read.kafkaClusterId ? { kafkaClusterId: read.kafkaClusterId } : {}),
    };
  }
  const moves = await readMoves(admin, desired, configs, runtimes, reads);

  const wanted = new Set(desired.topics.map((t) => t.name));
  for (const [name, m] of Object.entries(configs.managedTopics)) if (m.project === project) wanted.add(name);
  // Whether the topics connectors name exist decides whether the plan can run them.
  for (const c of desired.connectors) for (const t of topicsOf(c)) wanted.add(t);
  const present = [...wanted].filter((n) => existing.has(n));
  // Any existing topic tells which keys a topic config may have; the project's own first.
  const sample = present[0] ?? (stateTopicsExist ? names.configs : [...existing].sort()[0]);
  const [topics, topicConfigKeys] = await Promise.all([
    readTopics(admin, present),
    sample === undefined ? undefined : readTopicConfigKeys(admin, sample),
  ]);
  return {
    actual: {
      stateTopicsExist,
      topics,
      managedTopics: configs.managedTopics,
      connectors: configs.connectors,
      ...(Object.keys(configs.deletedOutside).length > 0 ? { deletedOutside: configs.deletedOutside } : {}),
      ...(Object.keys(connectRuntimes).length > 0 ? { runtimes: connectRuntimes } : {}),
      ...(Object.keys(moves).length > 0 ? { moves } : {}),
      foreignRecords: [...configs.foreign, ...[...reads.values()].flatMap((r) => r.foreign ?? [])],
      ...(topicConfigKeys && topicConfigKeys.length > 0 ? { topicConfigKeys } : {}),
      ...(lease && lease.id !== options.ownLockId
        ? { applyInProgress: { holder: lease.holder, since: lease.since } }
        : {}),
    },
    configs,
  };
}

/**
 * For each connector the YAML moves to another runtime: how many partitions
 * have an offset where it runs now (carried over by apply), and whether both
 * runtimes use the same Kafka cluster (a sink then keeps its consumer group).
 * One offsets read per moving connector; none when nothing moves.
 */
async function readMoves(
  admin: Admin,
  desired: DesiredState,
  configs: ConfigsSnapshot,
  runtimes: Runtimes,
  reads: ReadonlyMap<string, RuntimeRead>,
): Promise<Record<string, MoveFacts>> {
  const project = desired.project.name;
  const ours = (name: string) => {
    const c = configs.connectors[name];
    return c && c.record.project === project ? c : undefined;
  };
  const moving = desired.connectors.flatMap((c) => {
    const recorded = ours(c.name);
    if (!recorded) return [];
    const from = recorded.record.spec.runtime ?? EMBEDDED_RUNTIME;
    const to = c.runtime ?? EMBEDDED_RUNTIME;
    return from === to ? [] : [{ key: c.name, spec: recorded.record.spec, from, to }];
  });
  // Renames (`moved:`) still to apply: the old connector's offsets, under the new name.
  for (const m of desired.moved ?? []) {
    const toName = m.to.slice(m.to.indexOf('.') + 1);
    const target = desired.connectors.find((c) => c.name === toName);
    const old = ours(m.from.slice(m.from.indexOf('.') + 1));
    if (!target || !old || ours(toName)) continue;
    moving.push({
      key: toName,
      spec: old.record.spec,
      from: old.record.spec.runtime ?? EMBEDDED_RUNTIME,
      to: target.runtime ?? EMBEDDED_RUNTIME,
    });
  }
  if (moving.length === 0) return {};
  let ownCluster: string | undefined;
  try {
    ownCluster = (await retry(() => admin.describeCluster())).clusterId;
  } catch (err) {
    throw new PipeError('KAFKA_REQUEST', `describing the Kafka cluster failed: ${messageOf(err)}`, {
      cause: err,
      retriable: true,
    });
  }
  const clusterOf = (runtime: string) =>
    runtime === EMBEDDED_RUNTIME ? ownCluster : reads.get(runtime)?.kafkaClusterId;
  const moves: Record<string, MoveFacts> = {};
  for (const { key, spec, from, to } of moving) {
    const runtime = runtimes.get(from);
    let offsets: number | null = null;
    if (runtime) {
      try {
        offsets = (await runtime.offsets(project, spec)).length;
      } catch (err) {
        if (!isPipeError(err)) throw err;
        if (err.code === 'CONNECTOR_UNKNOWN') offsets = 0;
        else if (err.code !== 'OFFSETS_UNSUPPORTED') throw err;
      }
    }
    const a = clusterOf(from);
    moves[key] = { offsets, sameKafka: a !== undefined && a === clusterOf(to) };
  }
  return moves;
}
