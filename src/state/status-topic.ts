/**
 * The decoder of the status topic and the one reading of it that `pipe
 * status`, plan and apply share: the latest status of each connector and
 * task, the workers' heartbeats, and which workers count as alive.
 */
import type { TopicRecord } from '../kafka/read-topic.js';
import { type Decoded, decodeJson, type ForeignRecord, foreign, type RecordPlace } from './foreign.js';
import { type Check, integer, isoTime, nullable, number, object, oneOf, optional, string } from './guards.js';
import {
  RUNTIME_STATES,
  type StatusRecord,
  type TopicStatusRecord,
  WORKER_HEARTBEAT_MS,
  type WorkerHeartbeatRecord,
} from './records.js';

export type StatusTopicRecord =
  | { kind: 'connector'; name: string; value: StatusRecord | null }
  | { kind: 'task'; name: string; task: number; value: StatusRecord | null }
  | { kind: 'worker'; workerId: string; value: WorkerHeartbeatRecord | null }
  | { kind: 'topic'; name: string; topic: string; value: TopicStatusRecord | null }
  | { kind: 'other'; key: string };

const metrics = object({
  recordsIn: number,
  recordsOut: number,
  recordsFailed: number,
  rate: number,
  lag: optional(number),
  lastError: optional(string),
  updatedAt: string,
});

const statusRecordCheck: Check = object({
  state: oneOf(...RUNTIME_STATES),
  trace: nullable(string),
  worker_id: string,
  generation: integer,
  metrics: optional(metrics),
});

const heartbeatRecordCheck: Check = object({
  worker_id: string,
  project: string,
  startedAt: isoTime,
  heartbeatAt: isoTime,
  role: optional(oneOf('active', 'standby')),
  url: optional(string),
});

const topicStatusRecordCheck: Check = object({
  topic: object({ name: string, connector: string, task: integer, discoverTimestamp: integer }),
});

const TASK_KEY = /^status-task-(.+)-(\d+)$/;
/** Topic names hold no `:`, so the first one ends the topic. */
const TOPIC_KEY = /^status-topic-([^:]+):connector-(.+)$/;
const CONNECTOR_PREFIX = 'status-connector-';
const WORKER_PREFIX = 'status-worker-';

/** Decodes one record of `<prefix>.status`. Keys pipe does not use are `other`. */
export function decodeStatusRecord(
  place: RecordPlace,
  key: Buffer | null,
  value: Buffer | null,
): Decoded<StatusTopicRecord> {
  if (key === null) return foreign(place, key, 'the record has no key');
  const text = key.toString('utf8');
  const status = (): Decoded<StatusRecord | null> =>
    value === null
      ? { ok: true, record: null }
      : decodeJson<StatusRecord>(place, key, value, statusRecordCheck, 'a status record');
  if (text.startsWith(WORKER_PREFIX)) {
    const workerId = text.slice(WORKER_PREFIX.length);
    if (value === null) return { ok: true, record: { kind: 'worker', workerId, value: null } };
    const r = decodeJson<WorkerHeartbeatRecord>(
      place,
      key,
      value,
      heartbeatRecordCheck,
      'a worker heartbeat',
    );
    return r.ok ? { ok: true, record: { kind: 'worker', workerId, value: r.record } } : r;
  }
  if (text.startsWith(CONNECTOR_PREFIX)) {
    const r = status();
    return r.ok
      ? {
          ok: true,
          record: { kind: 'connector', name: text.slice(CONNECTOR_PREFIX.length), value: r.record },
        }
      : r;
  }
  const active = TOPIC_KEY.exec(text);
  if (active?.[1] !== undefined && active[2] !== undefined) {
    const [, topic, name] = active;
    if (value === null) return { ok: true, record: { kind: 'topic', name, topic, value: null } };
    const r = decodeJson<TopicStatusRecord>(place, key, value, topicStatusRecordCheck, 'an active topic');
    return r.ok ? { ok: true, record: { kind: 'topic', name, topic, value: r.record } } : r;
  }
  const task = TASK_KEY.exec(text);
  if (task?.[1] !== undefined && task[2] !== undefined) {
    const r = status();
    return r.ok
      ? { ok: true, record: { kind: 'task', name: task[1], task: Number(task[2]), value: r.record } }
      : r;
  }
  return { ok: true, record: { kind: 'other', key: text } };
}

export interface ReportedStatus extends StatusRecord {
  /** When the worker wrote it (the record's timestamp, epoch ms). */
  reportedAt: number;
}

/** The status topic folded to the latest readable record of each key. */
export interface StatusSnapshot {
  connectors: Map<string, ReportedStatus>;
  /** connector → task number → status. */
  tasks: Map<string, Map<number, StatusRecord>>;
  heartbeats: Map<string, WorkerHeartbeatRecord>;
  /** connector → the topics its tasks wrote or read (Connect's active topics). */
  topics: Map<string, Set<string>>;
  foreign: ForeignRecord[];
}

export function foldStatusTopic(topic: string, records: readonly TopicRecord[]): StatusSnapshot {
  const snapshot: StatusSnapshot = {
    connectors: new Map(),
    tasks: new Map(),
    heartbeats: new Map(),
    topics: new Map(),
    foreign: [],
  };
  for (const r of records) {
    const decoded = decodeStatusRecord({ topic, partition: r.partition, offset: r.offset }, r.key, r.value);
    if (!decoded.ok) {
      snapshot.foreign.push(decoded.foreign);
      continue;
    }
    const rec = decoded.record;
    switch (rec.kind) {
      case 'connector':
        if (rec.value) snapshot.connectors.set(rec.name, { ...rec.value, reportedAt: Number(r.timestamp) });
        else snapshot.connectors.delete(rec.name);
        break;
      case 'task': {
        const tasks = snapshot.tasks.get(rec.name) ?? new Map<number, StatusRecord>();
        if (rec.value) tasks.set(rec.task, rec.value);
        else tasks.delete(rec.task);
        if (tasks.size > 0) snapshot.tasks.set(rec.name, tasks);
        else snapshot.tasks.delete(rec.name);
        break;
      }
      case 'worker':
        if (rec.value) snapshot.heartbeats.set(rec.workerId, rec.value);
        else snapshot.heartbeats.delete(rec.workerId);
        break;
      case 'topic': {
        const topics = snapshot.topics.get(rec.name) ?? new Set<string>();
        if (rec.value) topics.add(rec.topic);
        else topics.delete(rec.topic);
        if (topics.size > 0) snapshot.topics.set(rec.name, topics);
        else snapshot.topics.delete(rec.name);
        break;
      }
      case 'other':
        break;
    }
  }
  return snapshot;
}

/** A worker that missed three heartbeats is gone (crashed, or stopped without a clean exit). */
export const WORKER_STALE_MS = 3 * WORKER_HEARTBEAT_MS;

/**
 * How far ahead of this clock a heartbeat may be dated and still count: clocks
 * of two machines differ a little, but a heartbeat dated an hour ahead would
 * keep a dead worker "alive" for that hour.
 */
export const MAX_CLOCK_SKEW_MS = 10_000;

/** Whether a heartbeat shows a live worker of this project, as of `now`. */
export function isLive(beat: WorkerHeartbeatRecord, project: string, now: Date): boolean {
  const age = now.getTime() - Date.parse(beat.heartbeatAt);
  return beat.project === project && age < WORKER_STALE_MS && age >= -MAX_CLOCK_SKEW_MS;
}

/** The project's live workers, by worker id. */
export function liveWorkers(snapshot: StatusSnapshot, project: string, now: Date): WorkerHeartbeatRecord[] {
  return [...snapshot.heartbeats.values()]
    .filter((beat) => isLive(beat, project, now))
    .sort((a, b) => (a.worker_id < b.worker_id ? -1 : a.worker_id > b.worker_id ? 1 : 0));
}
