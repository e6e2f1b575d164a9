import { describe, expect, it } from 'vitest';
import { retryOperation } from './retry-operation.js';

function flaky(failures: number) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => {
      calls++;
      if (calls <= failures) throw new Error(`failure ${calls}`);
      return 'ok';
    },
  };
}

describe('retryOperation', () => {
  it('tries again up to `retries` times with doubling pauses', async () => {
    const op = flaky(2);
    const pauses: number[] = [];
    const result = await retryOperation(op.fn, { retries: 2, sleep: async (ms) => void pauses.push(ms) });
    expect(result).toBe('ok');
    expect(op.calls).toBe(3);
    expect(pauses).toEqual([100, 200]);
  });

  it('gives up with the last error once the retries are spent', async () => {
    const op = flaky(5);
    const retried: number[] = [];
    await expect(
      retryOperation(op.fn, { retries: 1, sleep: async () => {}, onRetry: (n) => retried.push(n) }),
    ).rejects.toThrow('failure 2');
    expect(retried).toEqual([1]);
  });

  it('fails at once with retries 0', async () => {
    const op = flaky(1);
    await expect(retryOperation(op.fn, { retries: 0, sleep: async () => {} })).rejects.toThrow('failure 1');
    expect(op.calls).toBe(1);
  });
});
