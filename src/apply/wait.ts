/**
 * After apply: waits until a worker reports the connectors RUNNING, or says
 * at once that no worker runs for the project instead of waiting out the
 * timeout for a status nobody will write.
 */
import { present } from '../invariant.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Runtimes } from '../runtime/runtimes.js';
import type { RuntimeState } from '../state/records.js';
import { type Clock, systemClock } from '../time/clock.js';
import { waitUntil } from '../time/wait-until.js';

export interface WaitTarget {
  name: string;
  /** Epoch ms: a status older than this was left by an earlier run and does not count. */
  freshAfter?: number;
  /** The state to reach; RUNNING when absent. */
  state?: RuntimeState;
}

export type WaitResult =
  | { kind: 'nothing-to-wait-for' }
  | { kind: 'running'; connectors: string[] }
  | { kind: 'no-worker' }
  | { kind: 'failed'; failed: Array<{ name: string; trace: string }> }
  | { kind: 'timeout'; pending: Array<{ name: string; state: string }> };

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  clock?: Clock;
}

/**
 * Kafka Connect reports a connector RUNNING before its tasks exist (they
 * are generated, then assigned in a rebalance), and a task that fails in
 * its start() goes to FAILED without ever being RUNNING. So on a Kafka
 * Connect runtime, RUNNING without tasks counts only once it has held this
 * long (a connector may rightly have none); until then the tasks may still
 * come, and fail.
 */
export const NO_TASKS_SETTLE_MS = 5000;

export async function waitForRunning(
  runtime: Runtime,
  project: string,
  targets: readonly WaitTarget[],
  options: WaitOptions,
): Promise<WaitResult> {
  if (targets.length === 0) return { kind: 'nothing-to-wait-for' };
  const clock = options.clock ?? systemClock;
  /** When each connector was first seen RUNNING without tasks, on a Kafka Connect runtime. */
  const noTasksSince = new Map<string, number>();
  const settledWithoutTasks = (name: string, tasks: readonly unknown[], wanted: RuntimeState): boolean => {
    if (runtime.needsWorker || wanted !== 'RUNNING' || tasks.length > 0) {
      noTasksSince.delete(name);
      return true;
    }
    const since = noTasksSince.get(name) ?? clock.now();
    noTasksSince.set(name, since);
    return clock.now() - since >= NO_TASKS_SETTLE_MS;
  };
  let pending: Array<{ name: string; state: string }> = [];
  const settled = await waitUntil<WaitResult>(
    async () => {
      const status = await runtime.status(project);
      if (runtime.needsWorker && status.liveWorkers.length === 0) return { kind: 'no-worker' };
      const failed: Array<{ name: string; trace: string }> = [];
      pending = [];
      for (const t of targets) {
        const s = status.connectors[t.name];
        const fresh = s && (t.freshAfter === undefined || (s.reportedAt ?? 0) >= t.freshAfter);
        const failedTask = s?.tasks.find((task) => task.state === 'FAILED');
        if (fresh && s.state === 'FAILED') failed.push({ name: t.name, trace: s.trace ?? 'no trace' });
        else if (fresh && failedTask)
          failed.push({ name: `${t.name} task ${failedTask.id}`, trace: failedTask.trace ?? 'no trace' });
        else if (!fresh || s.state !== (t.state ?? 'RUNNING') || !tasksReached(s.tasks, t.state ?? 'RUNNING'))
          pending.push({ name: t.name, state: fresh ? s.state : 'not reported yet' });
        else if (!settledWithoutTasks(t.name, s.tasks, t.state ?? 'RUNNING'))
          pending.push({ name: t.name, state: `${s.state}, no tasks yet` });
      }
      if (failed.length > 0) return { kind: 'failed', failed };
      if (pending.length === 0) return { kind: 'running', connectors: targets.map((t) => t.name) };
      return undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      intervalMs: options.pollMs ?? 500,
      ...(options.clock ? { clock: options.clock } : {}),
    },
  );
  return settled ?? { kind: 'timeout', pending };
}

/** A stopped connector has no tasks left; a paused one's are paused (a running one's failures are caught above). */
function tasksReached(tasks: ReadonlyArray<{ state: RuntimeState }>, wanted: RuntimeState): boolean {
  if (wanted === 'STOPPED') return tasks.length === 0;
  if (wanted === 'PAUSED') return tasks.every((t) => t.state === wanted);
  return true;
}

const SEVERITY: Record<WaitResult['kind'], number> = {
  failed: 4,
  timeout: 3,
  'no-worker': 2,
  running: 1,
  'nothing-to-wait-for': 0,
};

/** Waits on every runtime at once; the worst outcome is the result (failed, then timeout, then no worker). */
export async function waitForAll(
  runtimes: Runtimes,
  project: string,
  targets: ReadonlyMap<string, readonly WaitTarget[]>,
  options: WaitOptions,
): Promise<WaitResult> {
  const results = await Promise.all(
    [...targets].map(([name, list]) =>
      waitForRunning(present(runtimes.get(name), `runtime ${name}`), project, list, options),
    ),
  );
  if (results.length === 0) return { kind: 'nothing-to-wait-for' };
  const worst = results.reduce((a, b) => (SEVERITY[b.kind] > SEVERITY[a.kind] ? b : a));
  if (worst.kind === 'running') {
    return {
      kind: 'running',
      connectors: results.flatMap((r) => (r.kind === 'running' ? r.connectors : [])),
    };
  }
  if (worst.kind === 'failed') {
    return { kind: 'failed', failed: results.flatMap((r) => (r.kind === 'failed' ? r.failed : [])) };
  }
  if (worst.kind === 'timeout') {
    return { kind: 'timeout', pending: results.flatMap((r) => (r.kind === 'timeout' ? r.pending : [])) };
  }
  return worst;
}
