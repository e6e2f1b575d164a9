import { describe, expect, it } from 'vitest';
import { withRetry } from './retry.js';

const retriable = () => Object.assign(new Error('not the leader'), { retriable: true });
const noSleep = async () => undefined;

describe('withRetry', () => {
  it('retries retriable failures with growing delays until the call succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw retriable();
        return 'ok';
      },
      { initialMs: 10, maxMs: 25, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([10, 20, 25]);
  });

  it('fails at once on an error that is not retriable', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('bad config');
        },
        { sleep: noSleep },
      ),
    ).rejects.toThrow('bad config');
    expect(calls).toBe(1);
  });

  it('gives up after the allowed retries with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw retriable();
        },
        { retries: 2, sleep: noSleep },
      ),
    ).rejects.toThrow('not the leader');
    expect(calls).toBe(3);
  });
});
