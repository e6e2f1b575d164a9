/**
 * The status topic as the embedded runtime reports it: what workers last
 * reported about each connector and its tasks, and which workers are alive.
 * The decoding and the liveness rule are src/state/status-topic.ts's, shared
 * with `pipe status`.
 */
import type { TopicRecord } from '../kafka/read-topic.js';
import { decodeStatusRecord, liveWorkers, type StatusSnapshot } from '../state/status-topic.js';
import type { ConnectorStatus, RuntimeStatus } from './runtime.js';

export function runtimeStatus(snapshot: StatusSnapshot, project: string, now: Date): RuntimeStatus {
  const connectors: Record<string, ConnectorStatus> = {};
  const entry = (name: string) => {
    connectors[name] ??= { state: 'UNASSIGNED', tasks: [] };
    return connectors[name];
  };
  for (const [name, s] of snapshot.connectors) {
    Object.assign(entry(name), {
      state: s.state,
      workerId: s.worker_id,
      trace: s.trace,
      reportedAt: s.reportedAt,
    });
  }
  for (const [name, tasks] of snapshot.tasks) {
    entry(name).tasks = [...tasks]
      .sort(([a], [b]) => a - b)
      .map(([id, s]) => ({ id, state: s.state, trace: s.trace }));
  }
  return { connectors, liveWorkers: liveWorkers(snapshot, project, now) };
}

/**
 * The status keys each connector owns, among those present, for tombstoning
 * on delete. Only keys count here, so a record whose value pipe cannot read
 * is tombstoned with the rest.
 */
export function statusKeysByConnector(topic: string, records: readonly TopicRecord[]): Map<string, string[]> {
  const keys = new Map<string, Set<string>>();
  for (const r of records) {
    // The value does not matter here: decode the key alone.
    const decoded = decodeStatusRecord({ topic, partition: r.partition, offset: r.offset }, r.key, null);
    if (!decoded.ok) continue;
    const rec = decoded.record;
    if (rec.kind !== 'connector' && rec.kind !== 'task' && rec.kind !== 'topic') continue;
    const key = r.key?.toString('utf8');
    if (key !== undefined) keys.set(rec.name, (keys.get(rec.name) ?? new Set()).add(key));
  }
  return new Map([...keys].map(([connector, set]) => [connector, [...set]]));
}
