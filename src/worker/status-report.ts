/**
 * What `pipe status` shows, computed from the latest configs and status
 * records: every applied connector with its state and tasks (UNASSIGNED
 * when no worker has reported it), counters summed over tasks, and the
 * workers whose heartbeat is recent. A connector on a Kafka Connect runtime
 * takes its states from that cluster's REST status instead (worker ids and
 * traces; Connect's REST API has no counters).
 */

import { EMBEDDED_RUNTIME, type TargetState } from '../config/model.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ErrorCode } from '../errors.js';
import type { ConfigsSnapshot } from '../plan/read-state.js';
import type { ConnectorStatus, RuntimeStatus } from '../runtime/runtime.js';
import { foreignRecordDiagnostic } from '../state/foreign.js';
import type { RuntimeState, TaskMetrics, WorkerHeartbeatRecord } from '../state/records.js';
import { liveWorkers, type StatusSnapshot } from '../state/status-topic.js';

export interface TaskReport {
  task: number;
  state: RuntimeState;
  workerId: string | null;
  /** The first line of the trace. */
  error: string | null;
  /** The whole trace of a failed task, as the runtime reported it (Kafka Connect runtimes). */
  trace?: string;
  metrics: TaskMetrics | null;
}

export interface ConnectorReport {
  name: string;
  kind: 'source' | 'sink';
  connector: string;
  /** `embedded`, or the Kafka Connect runtime (a name under `runtimes`) it runs on. */
  runtime: string;
  target: TargetState;
  state: RuntimeState;
  /** The worker running the connector itself (Kafka Connect's `worker_id`), when known. */
  workerId: string | null;
  error: string | null;
  trace?: string;
  tasks: TaskReport[];
  /** Counters are the embedded worker's: null on a Kafka Connect runtime, whose REST API has none. */
  recordsIn: number | null;
  recordsOut: number | null;
  recordsFailed: number | null;
  rate: number | null;
  lag: number | null;
  lastError: string | null;
}

/** One Kafka Connect runtime's answer to `GET /connectors?expand=status`, or why there is none. */
export type RuntimeStatusRead =
  | { ok: true; status: RuntimeStatus }
  | { ok: false; code: ErrorCode; error: string };

export interface RuntimeReport {
  name: string;
  urls: string[];
  /** The Kafka Connect workers that run a connector or task of the project, as their ids. */
  workers: string[];
  /** Why the runtime could not be read. */
  error?: string;
}

export interface StatusReport {
  workers: WorkerHeartbeatRecord[];
  /** The Kafka Connect runtimes the project's connectors run on. */
  runtimes?: RuntimeReport[];
  connectors: ConnectorReport[];
  /** Warnings: records of the state topics skipped because pipe cannot read them, runtimes that did not answer. */
  diagnostics: Diagnostic[];
}

const firstLine = (trace: string | null) => (trace === null ? null : (trace.split('\n')[0] ?? ''));

export interface ConnectRuntimeStatus {
  urls: string[];
  read: RuntimeStatusRead;
}

/** A connector on a Kafka Connect runtime, from that cluster's status. */
function connectReport(
  head: Pick<ConnectorReport, 'name' | 'kind' | 'connector' | 'runtime' | 'target'>,
  read: RuntimeStatusRead | undefined,
): ConnectorReport {
  const found: ConnectorStatus | undefined = read?.ok ? read.status.connectors[head.name] : undefined;
  const missing = !read
    ? `runtime "${head.runtime}" is not declared in pipeline.config.yaml`
    : !read.ok
      ? `runtime "${head.runtime}" could not be read`
      : `not on runtime "${head.runtime}" (deleted outside pipe? pipe apply creates it again)`;
  const tasks: TaskReport[] = (found?.tasks ?? []).map((t) => ({
    task: t.id,
    state: t.state,
    workerId: t.workerId ?? null,
    error: firstLine(t.trace ?? null),
    ...(t.trace ? { trace: t.trace } : {}),
    metrics: null,
  }));
  const error = found ? firstLine(found.trace ?? null) : missing;
  return {
    ...head,
    state: found?.state ?? 'UNASSIGNED',
    workerId: found?.workerId ?? null,
    error,
    ...(found?.trace ? { trace: found.trace } : {}),
    tasks,
    recordsIn: null,
    recordsOut: null,
    recordsFailed: null,
    rate: null,
    lag: null,
    lastError: tasks.find((t) => t.error)?.error ?? error,
  };
}

/**
 * The project's connectors as last applied, with what its live workers last
 * reported, or (for those on a Kafka Connect runtime) what the cluster says.
 */
export function statusReport(
  configs: ConfigsSnapshot,
  status: StatusSnapshot,
  project: string,
  now: Date,
  runtimes: Readonly<Record<string, ConnectRuntimeStatus>> = {},
): StatusReport {
  const workers = liveWorkers(status, project, now);
  const connectors: ConnectorReport[] = [];
  const used = new Set<string>();
  for (const { name, record, targetState } of Object.values(configs.connectors)) {
    if (record.project !== project) continue;
    const { spec } = record;
    const target = targetState ?? 'running';
    if (spec.runtime && spec.runtime !== EMBEDDED_RUNTIME) {
      used.add(spec.runtime);
      // The record holds the target state applied; the cluster holds the current one.
      const head = {
        name,
        kind: spec.kind,
        connector: spec.connector,
        runtime: spec.runtime,
        target: spec.state,
      };
      connectors.push(connectReport(head, runtimes[spec.runtime]?.read));
      continue;
    }
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
      runtime: EMBEDDED_RUNTIME,
      target,
      state: workers.length === 0 ? 'UNASSIGNED' : (own?.state ?? 'UNASSIGNED'),
      workerId: own?.worker_id ?? null,
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
  const runtimeReports: RuntimeReport[] = [];
  const diagnostics = [...configs.foreign, ...status.foreign].map(foreignRecordDiagnostic);
  for (const name of [...used].sort()) {
    const rt = runtimes[name];
    const ids = new Set<string>();
    for (const c of connectors) {
      if (c.runtime !== name) continue;
      if (c.workerId) ids.add(c.workerId);
      for (const t of c.tasks) if (t.workerId) ids.add(t.workerId);
    }
    runtimeReports.push({
      name,
      urls: rt?.urls ?? [],
      workers: [...ids].sort(),
      ...(rt && !rt.read.ok ? { error: rt.read.error } : {}),
    });
    if (rt && !rt.read.ok) {
      diagnostics.push({
        severity: 'warning',
        code: rt.read.code,
        summary: `runtime "${name}" could not be read, so its connectors show UNASSIGNED: ${rt.read.error}`,
      });
    }
  }
  return {
    workers,
    ...(runtimeReports.length > 0 ? { runtimes: runtimeReports } : {}),
    connectors,
    diagnostics,
  };
}
