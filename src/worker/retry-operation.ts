/**
 * `errors.retries`: a task operation that fails (a source's poll, a sink's
 * flush) is tried again this many times, with growing pauses, before the task
 * fails. Sleep is injected so the back-off is tested without waiting.
 */
export interface RetryOperationOptions {
  retries: number;
  onRetry?: (attempt: number, err: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
  initialMs?: number;
  maxMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function retryOperation<T>(fn: () => Promise<T>, o: RetryOperationOptions): Promise<T> {
  const sleep = o.sleep ?? defaultSleep;
  let delay = o.initialMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt > o.retries) throw err;
      o.onRetry?.(attempt, err);
      await sleep(delay);
      delay = Math.min(delay * 2, o.maxMs ?? 5000);
    }
  }
}
