/**
 * What `pipe status` shows, computed from the latest configs and status
 * records: every applied connector with its state and tasks (UNASSIGNED
 * when no worker has reported it), counters summed over tasks, and the
 * workers whose heartbeat is recent.
 */
import type { TargetState } from '../config/model.js';
import {
  type ConnectorRecord,
  type RuntimeState,
  type StatusRecord,
  statusKey,
  type TargetStateRecord,
  type TaskMetrics,
  targetStateOf,
  WORKER_HEARTBEAT_MS,
  type WorkerHeartbeatRecord,
} from '../state/records.js';

export interface TaskReport {
  task: number;
  state: RuntimeState;
  workerId: string | null;
  error: string | null;
  metrics: TaskMetrics | null;
}

export interface ConnectorReport {
  name: string;
  kind: 'source' | 'sink';
  connector: string;
  target: TargetState;
  state: RuntimeState;
  error: string | null;
  tasks: TaskReport[];
  recordsIn: number;
  recordsOut: number;
  recordsFailed: number;
  rate: number;
  lag: number | null;
  lastError: string | null;
}

export interface StatusReport {
  workers: WorkerHeartbeatRecord[];
  connectors: ConnectorReport[];
}

function parse<T>(value: Buffer | undefined): T | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

const firstLine = (trace: string | null) => (trace ? trace.split('\n')[0]! : null);

export function statusReport(
  configs: Map<string, Buffer>,
  status: Map<string, Buffer>,
  now: Date,
): StatusReport {
  const workers: WorkerHeartbeatRecord[] = [];
  for (const [key, value] of status) {
    if (!key.startsWith('status-worker-')) continue;
    const beat = parse<WorkerHeartbeatRecord>(value);
    if (beat && now.getTime() - Date.parse(beat.heartbeatAt) <= 3 * WORKER_HEARTBEAT_MS) workers.push(beat);
  }
  const connectors: ConnectorReport[] = [];
  for (const [key, value] of configs) {
    if (!key.startsWith('connector-')) continue;
    const record = parse<ConnectorRecord>(value);
    if (!record) continue;
    const { spec } = record;
    const target = parse<TargetStateRecord>(configs.get(`target-state-${spec.name}`));
    const own = parse<StatusRecord>(status.get(statusKey.connector(spec.name)));
    const tasks: TaskReport[] = [];
    for (let task = 0; ; task++) {
      const t = parse<StatusRecord>(status.get(statusKey.task(spec.name, task)));
      if (!t) break;
      tasks.push({
        task,
        state: t.state,
        workerId: t.worker_id,
        error: firstLine(t.trace),
        metrics: t.metrics ?? null,
      });
    }
    const metrics = tasks.flatMap((t) => (t.metrics ? [t.metrics] : []));
    const sum = (f: (m: TaskMetrics) => number) => metrics.reduce((a, m) => a + f(m), 0);
    const lags = metrics.flatMap((m) => (m.lag === undefined ? [] : [m.lag]));
    const lastError =
      tasks.find((t) => t.error)?.error ??
      metrics.find((m) => m.lastError)?.lastError ??
      firstLine(own?.trace ?? null);
    connectors.push({
      name: spec.name,
      kind: spec.kind,
      connector: spec.connector,
      target: target ? targetStateOf(target) : 'running',
      state: workers.length === 0 ? 'UNASSIGNED' : (own?.state ?? 'UNASSIGNED'),
      error: firstLine(own?.trace ?? null),
      tasks,
      recordsIn: sum((m) => m.recordsIn),
      recordsOut: sum((m) => m.recordsOut),
      recordsFailed: sum((m) => m.recordsFailed),
      rate: sum((m) => m.rate),
      lag: lags.length === 0 ? null : lags.reduce((a, b) => a + b, 0),
      lastError,
    });
  }
  connectors.sort((a, b) => a.name.localeCompare(b.name));
  return { workers, connectors };
}
