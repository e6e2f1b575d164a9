import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { retry } from './retry.js';
import { waitUntil } from './wait-until.js';

/** Sleeping moves this clock on at once and records the pause. */
function fakeClock(): Clock & { sleeps: number[] } {
  let time = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      time += ms;
    },
  };
}

const retriable = () => Object.assign(new Error('not the leader'), { retriable: true });

describe('retry', () => {
  it('retries retriable failures with doubling pauses, capped, until the call succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 5) throw retriable();
        return 'ok';
      },
      { initialMs: 10, maxMs: 25, jitter: 0, clock },
    );
    expect(result).toBe('ok');
    expect(clock.sleeps).toEqual([10, 20, 25, 25]);
  });

  it('spreads each pause by the jitter around the back-off', async () => {
    const clock = fakeClock();
    let calls = 0;
    const randoms = [0, 1, 0.5];
    await retry(
      async () => {
        if (++calls < 4) throw retriable();
      },
      { initialMs: 100, maxMs: 1000, jitter: 0.2, clock, random: () => randoms.shift() ?? 0.5 },
    );
    expect(clock.sleeps).toEqual([80, 240, 400]);
  });

  it('fails at once on an error that is not retriable', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('bad config');
        },
        { clock: fakeClock() },
      ),
    ).rejects.toThrow('bad config');
    expect(calls).toBe(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw Object.assign(new Error(`attempt ${calls}`), { retriable: true });
        },
        { retries: 2, clock: fakeClock() },
      ),
    ).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  it('retries without limit when asked, reporting each retry', async () => {
    const seen: number[] = [];
    let calls = 0;
    await retry(
      async () => {
        if (++calls <= 50) throw retriable();
      },
      { retries: Number.POSITIVE_INFINITY, clock: fakeClock(), onRetry: (_e, n) => seen.push(n) },
    );
    expect(seen).toHaveLength(50);
    expect(seen.at(-1)).toBe(50);
  });

  it('stops retrying once its signal aborts, with the last error', async () => {
    const abort = new AbortController();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          if (calls === 3) abort.abort();
          throw Object.assign(new Error(`attempt ${calls}`), { retriable: true });
        },
        { retries: Number.POSITIVE_INFINITY, signal: abort.signal, clock: fakeClock() },
      ),
    ).rejects.toThrow('attempt 3');
  });

  it('lets the caller say which errors are retriable', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        if (++calls < 3) throw new Error('flaky');
        return calls;
      },
      { retriable: (e) => e instanceof Error && e.message === 'flaky', clock: fakeClock() },
    );
    expect(result).toBe(3);
  });
});

describe('waitUntil', () => {
  it('returns the first value the check gives', async () => {
    let calls = 0;
    const clock = fakeClock();
    const value = await waitUntil(() => (++calls === 4 ? 'ready' : undefined), {
      timeoutMs: 1000,
      intervalMs: 50,
      clock,
    });
    expect(value).toBe('ready');
    expect(clock.sleeps).toEqual([50, 50, 50]);
  });

  it('returns undefined once the deadline passed, having checked at the deadline', async () => {
    let calls = 0;
    const value = await waitUntil(
      () => {
        calls++;
        return undefined;
      },
      { timeoutMs: 300, intervalMs: 100, clock: fakeClock() },
    );
    expect(value).toBeUndefined();
    expect(calls).toBe(4);
  });

  it('stops at once when the check throws', async () => {
    await expect(
      waitUntil(
        () => {
          throw new Error('the process exited');
        },
        { timeoutMs: 1000, clock: fakeClock() },
      ),
    ).rejects.toThrow('the process exited');
  });
});
