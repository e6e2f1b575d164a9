/**
 * Retries a Kafka call that failed with an error the client marks retriable
 * (leader moves, metadata not yet propagated after a topic was created), with
 * exponential back-off. Anything else fails at once.
 */
export interface RetryOptions {
  retries?: number;
  initialMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 8, initialMs = 50, maxMs = 1000, sleep = defaultSleep } = options;
  let delay = initialMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= retries || !isRetriable(err)) throw err;
      await sleep(delay);
      delay = Math.min(delay * 2, maxMs);
    }
  }
}
