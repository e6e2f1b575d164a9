/**
 * The one deadline-polling loop: asks `check` until it gives a value or the
 * time is up. Callers word their own timeout (they know what was awaited);
 * `check` throws to stop the wait at once (a process that exited).
 */
import { type Clock, systemClock } from './clock.js';

export interface WaitUntilOptions {
  timeoutMs: number;
  /** Pause between two checks (default 100 ms). */
  intervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

/** The first value `check` returns other than undefined, or undefined once `timeoutMs` passed. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: WaitUntilOptions,
): Promise<T | undefined> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (clock.now() >= deadline || options.signal?.aborted) return undefined;
    await clock.sleep(options.intervalMs ?? 100, options.signal).catch(() => undefined);
  }
}
