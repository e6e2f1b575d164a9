import { getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseStartupHeap } from './startup-heap.js';

const oldSpaceMb = () => {
  const old = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!;
  return old.space_size / 2 ** 20;
};

describe('releasing the heap start-up used', () => {
  it('gives back the old generation that start-up filled and left', () => {
    // Objects that live long enough to reach the old generation, then die, as start-up's do.
    let startup: object[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, name: `n${i}` }));
    const filled = oldSpaceMb();
    expect(startup.length).toBe(400_000);
    startup = undefined;
    releaseStartupHeap();
    expect(oldSpaceMb()).toBeLessThan(filled - 10);
  });

  it('leaves no gc function behind, in this context or in new ones', () => {
    releaseStartupHeap();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
