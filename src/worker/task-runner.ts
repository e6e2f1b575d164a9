/**
 * What the herder sees of a running task, source or sink: its state changes,
 * its counters, and pause / resume / stop.
 */
import type { Log } from '../connectors/api.js';
import type { RuntimeState } from '../state/records.js';
import type { TaskCounters } from './metrics.js';

export interface TaskId {
  connector: string;
  task: number;
}

export type StateListener = (state: RuntimeState, trace: string | null) => void;

export interface TaskRunner {
  readonly id: TaskId;
  readonly counters: TaskCounters;
  /** What made the task fail, once it did: a retriable cause gets the task restarted. */
  readonly lastFailure: unknown;
  /** Runs the task until it is stopped or fails; resolves either way. */
  run(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops polling, sends and commits what was taken, within `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

export interface RunnerBase {
  id: TaskId;
  baseDir: string;
  log: Log;
  onState: StateListener;
}

/**
 * `errors.retries`: a failing source poll or sink flush is tried again with
 * pauses doubling from 100 ms to 5 s, whatever the error (the connector knows
 * best whether a second try helps; the count is the user's).
 */
export const TASK_OPERATION_RETRY = { initialMs: 100, maxMs: 5000, retriable: () => true } as const;

export const defaultEvery = (ms: number, fn: () => void): (() => void) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** A resolvable gate: `wait()` resolves once `open()` is called. */
export class Gate {
  private resolve: (() => void) | undefined;
  private promise: Promise<void> | undefined;

  wait(): Promise<void> {
    this.promise ??= new Promise((r) => {
      this.resolve = r;
    });
    return this.promise;
  }

  open(): void {
    this.resolve?.();
    this.resolve = undefined;
    this.promise = undefined;
  }
}

/** Where errors become text, secrets redacted: one function for status, logs and dead letters. */
export { traceOf } from '../errors.js';

/** Resolves with `promise`, or after `ms` with undefined. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
