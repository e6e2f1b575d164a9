/**
 * The records pipe keeps in its compacted state topics. `apply` writes the
 * configs topic, the worker reads it and writes status and offsets. Keys and
 * value shapes follow Kafka Connect's distributed mode wherever Connect has an
 * equivalent (see docs/STATE.md), so the topics read familiarly and offsets
 * move between pipe and a Connect cluster unchanged.
 *
 * All keys and values are JSON without schemas (UTF-8). A null value (a
 * tombstone) deletes the key.
 */
import type { ConnectorSpec, TargetState } from '../config/model.js';
import { isPlainObject } from './guards.js';

export interface StateTopicNames {
  configs: string;
  offsets: string;
  status: string;
}

export function stateTopicNames(prefix: string): StateTopicNames {
  return { configs: `${prefix}.configs`, offsets: `${prefix}.offsets`, status: `${prefix}.status` };
}

/** Partition counts Connect uses by default for its internal topics. */
export const STATE_TOPIC_PARTITIONS: Record<keyof StateTopicNames, number> = {
  configs: 1,
  offsets: 25,
  status: 5,
};

/* ---------- configs topic ---------- */

/** `connector-<name>`: the connector as last applied (origin left out: moving YAML must not look like drift). */
export interface ConnectorRecord {
  project: string;
  spec: Omit<ConnectorSpec, 'origin'>;
  appliedAt: string;
  /** Written by a worker's REST API (`worker.http.allowWrites`), not by `pipe apply`: drift the next plan shows. */
  outsidePipe?: OutsideChange;
}

/** Who changed a connector outside `pipe apply`, and when. */
export interface OutsideChange {
  via: 'rest';
  /** The worker whose REST API took the change. */
  worker: string;
  at: string;
  /** No apply ever wrote this connector: the REST API created it. */
  created: boolean;
}

/**
 * `deleted-connector-<name>`: a connector of the project deleted through a
 * worker's REST API, so the next plan says why it creates it again. Apply
 * tombstones it when it writes or deletes the connector.
 */
export interface DeletedConnectorRecord extends Omit<OutsideChange, 'created'> {
  project: string;
}

/**
 * `managed-connector-<name>`: a connector this project runs on a Kafka Connect
 * runtime (`spec.runtime`), as last applied. The cluster holds the connector
 * itself; this record is pipe's ownership of it, under a key pipe's own
 * worker does not run.
 */
export type ManagedConnectorRecord = ConnectorRecord;

/** `target-state-<name>`, exactly Connect's shape: old readers see PAUSED for STOPPED. */
export interface TargetStateRecord {
  state: 'STARTED' | 'PAUSED';
  /** Always written by pipe; absent in records of Connect versions before STOPPED existed. */
  'state.v2'?: 'STARTED' | 'PAUSED' | 'STOPPED';
}

/** `managed-topic-<name>`: this project created or adopted the topic, so only it may delete it. */
export interface ManagedTopicRecord {
  project: string;
  since: string;
  adopted: boolean;
}

/** `lock`: the apply lease; see src/state/lock.ts. */
export interface LockRecord {
  id: string;
  holder: string;
  since: string;
  expiresAt: string;
}

export const configKey = {
  connector: (name: string) => `connector-${name}`,
  targetState: (name: string) => `target-state-${name}`,
  managedTopic: (name: string) => `managed-topic-${name}`,
  managedConnector: (name: string) => `managed-connector-${name}`,
  deletedConnector: (name: string) => `deleted-connector-${name}`,
  lock: () => 'lock',
};

export function encodeJson(value: unknown): Buffer | null {
  return value === null ? null : Buffer.from(JSON.stringify(value), 'utf8');
}

export function targetStateRecord(state: TargetState): TargetStateRecord {
  switch (state) {
    case 'running':
      return { state: 'STARTED', 'state.v2': 'STARTED' };
    case 'paused':
      return { state: 'PAUSED', 'state.v2': 'PAUSED' };
    case 'stopped':
      return { state: 'PAUSED', 'state.v2': 'STOPPED' };
  }
}

export function targetStateOf(record: TargetStateRecord): TargetState {
  switch (record['state.v2'] ?? record.state) {
    case 'STARTED':
      return 'running';
    case 'PAUSED':
      return 'paused';
    case 'STOPPED':
      return 'stopped';
  }
}

/* ---------- status topic ---------- */

/**
 * Connect's states, plus RETRYING: a task waiting out a retriable failure
 * (broker unreachable, topic missing) with the reason in its trace, which
 * moves on by itself once the cause clears.
 */
export const RUNTIME_STATES = [
  'UNASSIGNED',
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'RESTARTING',
  'RETRYING',
] as const;
export type RuntimeState = (typeof RUNTIME_STATES)[number];

/** `status-connector-<name>` and `status-task-<name>-<n>`, Connect's shape plus pipe's counters. */
export interface StatusRecord {
  state: RuntimeState;
  trace: string | null;
  worker_id: string;
  generation: number;
  /** pipe only; Connect's readers ignore it. */
  metrics?: TaskMetrics;
}

export interface TaskMetrics {
  recordsIn: number;
  recordsOut: number;
  recordsFailed: number;
  /** Records per second over the last reporting interval. */
  rate: number;
  /** Sinks: records behind the end of the topic, summed over assigned partitions. */
  lag?: number;
  lastError?: string;
  updatedAt: string;
}

/**
 * `status-worker-<id>`: pipe only. A running worker refreshes it every
 * `WORKER_HEARTBEAT_MS` and tombstones it at a clean stop, so `apply` can say
 * plainly when no worker runs instead of waiting for a RUNNING that never comes.
 */
export interface WorkerHeartbeatRecord {
  worker_id: string;
  project: string;
  startedAt: string;
  heartbeatAt: string;
  /** Whether the worker runs the project's connectors or stands by (absent before pipe had standbys). */
  role?: 'active' | 'standby';
  /** Its HTTP server's URL, as other workers reach it: a standby forwards Connect's REST API there (absent: no server). */
  url?: string;
}

export const WORKER_HEARTBEAT_MS = 5000;

/**
 * `status-topic-<topic>:connector-<name>`, exactly Connect's (KIP-558): a
 * topic the connector's tasks wrote or read, so `GET …/topics` survives a
 * worker restart. Tombstoned with the connector's other status records.
 */
export interface TopicStatusRecord {
  topic: { name: string; connector: string; task: number; discoverTimestamp: number };
}

export const statusKey = {
  connector: (name: string) => `status-connector-${name}`,
  task: (name: string, task: number) => `status-task-${name}-${task}`,
  worker: (id: string) => `status-worker-${id}`,
  topic: (topic: string, connector: string) => `status-topic-${topic}:connector-${connector}`,
};

/* ---------- offsets topic ---------- */

/**
 * Connect's offset key: `["<connector>", {partition}]`, serialized without
 * spaces exactly as Connect's JsonConverter does, because the key bytes pick
 * the partition (murmur2) and compaction matches on them.
 */
export function offsetKey(connector: string, partition: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify([connector, partition]), 'utf8');
}

export function decodeOffsetKey(
  key: Buffer,
): { connector: string; partition: Record<string, unknown> } | null {
  try {
    const parsed = JSON.parse(key.toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      isPlainObject(parsed[1])
    ) {
      return { connector: parsed[0], partition: parsed[1] };
    }
  } catch {
    // a key another tool wrote into the topic: not ours to interpret
  }
  return null;
}
