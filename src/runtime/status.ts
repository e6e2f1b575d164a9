/**
 * Reads the status topic: what workers last reported about each connector and
 * its tasks, and which workers are alive.
 */
import type { TopicRecord } from '../kafka/read-topic.js';
import { type StatusRecord, WORKER_HEARTBEAT_MS, type WorkerHeartbeatRecord } from '../state/records.js';
import type { ConnectorStatus, RuntimeStatus } from './runtime.js';

/** A worker that missed three heartbeats is gone (crashed, or stopped without a clean exit). */
export const WORKER_STALE_MS = 3 * WORKER_HEARTBEAT_MS;

const TASK_KEY = /^status-task-(.+)-(\d+)$/;
const CONNECTOR_PREFIX = 'status-connector-';
const WORKER_PREFIX = 'status-worker-';

function latest(records: readonly TopicRecord[]): Map<string, { value: Buffer; timestamp: number }> {
  const out = new Map<string, { value: Buffer; timestamp: number }>();
  for (const r of records) {
    if (r.key === null) continue;
    const key = r.key.toString('utf8');
    if (r.value === null) out.delete(key);
    else out.set(key, { value: r.value, timestamp: Number(r.timestamp) });
  }
  return out;
}

export function parseStatusTopic(records: readonly TopicRecord[], project: string, now: Date): RuntimeStatus {
  const connectors: Record<string, ConnectorStatus> = {};
  const liveWorkers: WorkerHeartbeatRecord[] = [];
  const entry = (name: string) => {
    connectors[name] ??= { state: 'UNASSIGNED', tasks: [] };
    return connectors[name];
  };
  for (const [key, { value, timestamp }] of latest(records)) {
    const parsed = JSON.parse(value.toString('utf8'));
    if (key.startsWith(WORKER_PREFIX)) {
      const hb = parsed as WorkerHeartbeatRecord;
      if (hb.project === project && now.getTime() - Date.parse(hb.heartbeatAt) < WORKER_STALE_MS) {
        liveWorkers.push(hb);
      }
    } else if (key.startsWith(CONNECTOR_PREFIX)) {
      const s = parsed as StatusRecord;
      Object.assign(entry(key.slice(CONNECTOR_PREFIX.length)), {
        state: s.state,
        workerId: s.worker_id,
        trace: s.trace,
        reportedAt: timestamp,
      });
    } else {
      const m = TASK_KEY.exec(key);
      if (!m) continue;
      const s = parsed as StatusRecord;
      entry(m[1]!).tasks.push({ id: Number(m[2]), state: s.state, trace: s.trace });
    }
  }
  for (const c of Object.values(connectors)) c.tasks.sort((a, b) => a.id - b.id);
  return { connectors, liveWorkers };
}

/** The status keys each connector owns, among those present, for tombstoning on delete. */
export function statusKeysByConnector(records: readonly TopicRecord[]): Map<string, string[]> {
  const keys = new Map<string, Set<string>>();
  const add = (connector: string, key: string) =>
    keys.set(connector, (keys.get(connector) ?? new Set()).add(key));
  for (const r of records) {
    if (r.key === null) continue;
    const key = r.key.toString('utf8');
    const task = TASK_KEY.exec(key);
    if (task) add(task[1]!, key);
    else if (key.startsWith(CONNECTOR_PREFIX)) add(key.slice(CONNECTOR_PREFIX.length), key);
  }
  return new Map([...keys].map(([connector, set]) => [connector, [...set]]));
}
