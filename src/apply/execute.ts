/**
 * Runs the steps of a plan one after another, a progress line per step with
 * its time, and stops at the first failure saying what was done and what was
 * not. Re-running apply plans again from the cluster as it is, so it picks up
 * exactly what was left.
 */
import { messageOf, PipeError } from '../errors.js';
import { ACTION_STYLE } from '../plan/actions.js';
import type { Step } from './steps.js';

export interface StepResult {
  address: string;
  action: string;
  ms: number;
  detail?: string;
}

export interface ExecuteOptions {
  log: (line: string) => void;
  /** Monotonic milliseconds, injected so tests control durations. */
  clock?: () => number;
  /** Checked before each step; throwing stops the apply there (the lock uses it to stop once its lease ran out). */
  beforeStep?: () => void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export async function executeSteps(steps: readonly Step[], options: ExecuteOptions): Promise<StepResult[]> {
  const clock = options.clock ?? (() => performance.now());
  const done: StepResult[] = [];
  for (const [i, step] of steps.entries()) {
    const { change } = step;
    const style = ACTION_STYLE[change.action];
    const started = clock();
    try {
      options.beforeStep?.();
      const detail = await step.run();
      const ms = clock() - started;
      done.push({ address: change.address, action: change.action, ms, ...(detail ? { detail } : {}) });
      options.log(
        `${style.symbol} ${change.address}: ${style.done}${detail ? `, ${detail}` : ''} (${seconds(ms)})`,
      );
    } catch (err) {
      const notDone = steps.slice(i).map((s) => `${s.change.action} ${s.change.address}`);
      const summary = [
        `apply stopped at ${change.address} (${change.action}): ${messageOf(err)}`,
        `done: ${done.length === 0 ? 'nothing' : done.map((d) => `${d.action} ${d.address}`).join(', ')}`,
        `not done: ${notDone.join(', ')}`,
      ].join('\n  ');
      throw new PipeError('APPLY_FAILED', summary, {
        cause: err,
        meta: {
          resource: change.address,
          done: done.map((d) => d.address),
          notDone: steps.slice(i).map((s) => s.change.address),
          hint: 'fix the cause and run apply again: it plans from the cluster as it is now and does what is left',
        },
      });
    }
  }
  return done;
}
