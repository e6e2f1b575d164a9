/**
 * After apply: waits until a worker reports the connectors RUNNING, or says
 * at once that no worker runs for the project instead of waiting out the
 * timeout for a status nobody will write.
 */
import type { Runtime } from '../runtime/runtime.js';
import type { Clock } from '../time/clock.js';
import { waitUntil } from '../time/wait-until.js';

export interface WaitTarget {
  name: string;
  /** Epoch ms: a status older than this was left by an earlier run and does not count. */
  freshAfter?: number;
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

export async function waitForRunning(
  runtime: Runtime,
  project: string,
  targets: readonly WaitTarget[],
  options: WaitOptions,
): Promise<WaitResult> {
  if (targets.length === 0) return { kind: 'nothing-to-wait-for' };
  let pending: Array<{ name: string; state: string }> = [];
  const settled = await waitUntil<WaitResult>(
    async () => {
      const status = await runtime.status(project);
      if (status.liveWorkers.length === 0) return { kind: 'no-worker' };
      const failed: Array<{ name: string; trace: string }> = [];
      pending = [];
      for (const t of targets) {
        const s = status.connectors[t.name];
        const fresh = s && (t.freshAfter === undefined || (s.reportedAt ?? 0) >= t.freshAfter);
        const failedTask = s?.tasks.find((task) => task.state === 'FAILED');
        if (fresh && s.state === 'FAILED') failed.push({ name: t.name, trace: s.trace ?? 'no trace' });
        else if (fresh && failedTask)
          failed.push({ name: `${t.name} task ${failedTask.id}`, trace: failedTask.trace ?? 'no trace' });
        else if (!fresh || s.state !== 'RUNNING')
          pending.push({ name: t.name, state: fresh ? s.state : 'not reported yet' });
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
