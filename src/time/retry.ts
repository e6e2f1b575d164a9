/**
 * The one retry of the code base, after kafkajs's: exponential back-off with
 * jitter, capped, only for errors that say they are worth another try, and
 * stopped by an abort signal. `retries: Infinity` waits out an outage.
 */
import { type Clock, systemClock } from './clock.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 8); Infinity retries until success or abort. */
  retries?: number;
  /** First pause (default 50 ms); each next one doubles up to `maxMs` (default 1 s). */
  initialMs?: number;
  maxMs?: number;
  /** Each pause is scaled by a random factor in [1 - jitter, 1 + jitter] (default 0.2), so clients do not retry in step. */
  jitter?: number;
  /** Which errors are worth another try (default: those marked `retriable: true`). */
  retriable?: (err: unknown) => boolean;
  /** Called before each pause, with the error, the retry's number (from 1) and the pause. */
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
  /** Aborting ends the retries: the last error is thrown. */
  signal?: AbortSignal;
  clock?: Clock;
  random?: () => number;
}

export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

/** The pause before retry `n` (from 1), without jitter. */
export function backoffMs(n: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(n - 1, 30));
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const {
    retries = 8,
    initialMs = 50,
    maxMs = 1000,
    jitter = 0.2,
    retriable = isRetriable,
    clock = systemClock,
    random = Math.random,
    signal,
  } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= retries || !retriable(err) || signal?.aborted) throw err;
      const n = attempt + 1;
      const delay = Math.round(backoffMs(n, initialMs, maxMs) * (1 - jitter + 2 * jitter * random()));
      options.onRetry?.(err, n, delay);
      try {
        await clock.sleep(delay, signal);
      } catch {
        throw err;
      }
    }
  }
}
