/**
 * What `pipe status` shows, computed from the latest configs and status
 * records: every applied connector with its state and tasks (UNASSIGNED
 * when no worker has reported it), counters summed over tasks, and the
 * workers whose heartbeat is recent.
 */

import type { TargetState } from '../config/model.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ConfigsSnapshot } from '../plan/read-state.js';
import { foreignRecordDiagnostic } from '../state/foreign.js';
import type { RuntimeState, TaskMetrics, WorkerHeartbeatRecord } from '../state/records.js';
import { liveWorkers, type StatusSnapshot } from '../state/status-topic.js';

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
  /** Warnings: records of the state topics skipped because pipe cannot read them. */
  diagnostics: Diagnostic[];
}

const firstLine = (trace: string | null) => (trace === null ? null : (trace.split('\n')[0] ?? ''));

/** The project's connectors as last applied, with what its live workers last reported. */
export function statusReport(
  configs: ConfigsSnapshot,
  status: StatusSnapshot,
  project: string,
  now: Date,
): StatusReport {
  const workers = liveWorkers(status, project, now);
  const connectors: ConnectorReport[] = [];
  for (const { name, record, targetState } of Object.values(configs.connectors)) {
    if (record.project !== project) continue;
    const { spec } = record;
    const own = status.connectors.get(name);
    const tasks: TaskReport[] = [...(status.tasks.get(name) ?? new Map())]
      .sort(([a], [b]) => a - b)
      .map(([task, t]) => ({
        task,
        state: t.state,
        workerId: t.worker_id,
        error: firstLine(t.trace),
        metrics: t.metrics ?? null,
      }));
    const metrics = tasks.flatMap((t) => (t.metrics ? [t.metrics] : []));
    const sum = (f: (m: TaskMetrics) => number) => metrics.reduce((a, m) => a + f(m), 0);
    const lags = metrics.flatMap((m) => (m.lag === undefined ? [] : [m.lag]));
    const lastError =
      tasks.find((t) => t.error)?.error ??
      metrics.find((m) => m.lastError)?.lastError ??
      firstLine(own?.trace ?? null);
    connectors.push({
      name,
      kind: spec.kind,
      connector: spec.connector,
      target: targetState ?? 'running',
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
  connectors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    workers,
    connectors,
    diagnostics: [...configs.foreign, ...status.foreign].map(foreignRecordDiagnostic),
  };
}
