import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  followWorkload,
  type HeapEffects,
  nextHeapMode,
  releaseHeap,
  youngGenerationSizedByUser,
} from './worker-heap.js';

const MODULE = fileURLToPath(new URL('./worker-heap.ts', import.meta.url));

/**
 * A fresh Node process that goes through the young generation's life in a
 * worker: kept small while modules load (many young objects survive), grown
 * while batches are in flight (a little more than a semi-space survives:
 * one growth), then kept small and released once idle.
 * Prints the new space's size in MB after each step.
 */
function newSpaceThroughALife(nodeArgs: string[] = []): { starting: number; busy: number; idle: number } {
  const script = `
    const { setYoungGenerationGrowth, releaseHeap } = await import(${JSON.stringify(MODULE)});
    const { getHeapSpaceStatistics } = await import('node:v8');
    const newSpaceMb = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
    let survivors = [];
    const keepAlive = (n) => { for (let i = 0; i < n; i++) survivors.push({ i, name: 'object ' + i }); };
    setYoungGenerationGrowth(false);
    keepAlive(100_000);
    const starting = newSpaceMb();
    setYoungGenerationGrowth(true);
    keepAlive(20_000);
    const busy = newSpaceMb();
    survivors = [];
    setYoungGenerationGrowth(false);
    releaseHeap();
    keepAlive(100_000);
    console.log(JSON.stringify({ starting, busy, idle: newSpaceMb() }));
  `;
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out);
}

const oldSpaceMb = () =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_size / 2 ** 20;

// Each case that starts a Node process is slow on a loaded machine.
describe("the worker's young generation", { timeout: 30_000 }, () => {
  it('stays at two 1 MB semi-spaces while starting, reaches its ceiling at the first growth while busy, and is back at two 1 MB ones once released', () => {
    // A known ceiling: two 8 MB semi-spaces. V8's own factor of 2 would be at two 2 MB ones here.
    const { starting, busy, idle } = newSpaceThroughALife(['--max-semi-space-size=8']);
    expect(starting).toBe(2);
    expect(busy).toBe(16);
    // Released, V8 may shrink it below its start (1 MB seen in CI, a new space of two 0.5 MB semi-spaces).
    expect(idle).toBeLessThanOrEqual(starting);
  });

  it('counts as sized by the user any semi-space flag, on the command line or in NODE_OPTIONS', () => {
    expect(youngGenerationSizedByUser(['--max-semi-space-size=64'], undefined)).toBe(true);
    expect(youngGenerationSizedByUser([], '--min-semi-space-size=4 --enable-source-maps')).toBe(true);
    expect(youngGenerationSizedByUser(['--semi-space-growth-factor=4'], undefined)).toBe(true);
    expect(youngGenerationSizedByUser(['--enable-source-maps'], '--max-old-space-size=512')).toBe(false);
    expect(youngGenerationSizedByUser([], undefined)).toBe(false);
  });
});

describe('releasing the heap', () => {
  it('gives back the old generation that start-up filled and left', () => {
    // Objects that live long enough to reach the old generation, then die, as start-up's do.
    let startup: object[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, name: `n${i}` }));
    const filled = oldSpaceMb();
    expect(startup.length).toBe(400_000);
    startup = undefined;
    releaseHeap();
    expect(oldSpaceMb()).toBeLessThan(filled - 10);
  });

  it('leaves no gc function behind, in this context or in new ones', () => {
    releaseHeap();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});

describe('the heap mode, from the records the worker moved', () => {
  const idle = { mode: 'idle' as const, moved: 0, changedAt: 0 };
  const starting = { mode: 'starting' as const, moved: 0, changedAt: 0 };

  it('turns idle at the first look when nothing moved since the worker got ready', () => {
    expect(nextHeapMode(starting, 0, 200, 10_000).mode).toBe('idle');
  });

  it('turns busy, not idle, when records moved from the start', () => {
    expect(nextHeapMode(starting, 400, 200, 10_000)).toEqual({ mode: 'busy', moved: 400, changedAt: 200 });
  });

  it('turns busy as soon as a record moves', () => {
    expect(nextHeapMode(idle, 5, 100, 10_000)).toEqual({ mode: 'busy', moved: 5, changedAt: 100 });
  });

  it('stays busy until the count stood still for the idle time, then turns idle', () => {
    const busy = { mode: 'busy' as const, moved: 5, changedAt: 100 };
    expect(nextHeapMode(busy, 5, 10_099, 10_000)).toBe(busy);
    expect(nextHeapMode(busy, 5, 10_100, 10_000)).toEqual({ mode: 'idle', moved: 5, changedAt: 100 });
  });

  it('counts a task restarted from zero as movement, not as standing still', () => {
    expect(nextHeapMode({ mode: 'busy', moved: 900, changedAt: 0 }, 0, 50, 10_000).mode).toBe('busy');
  });
});

describe('following the workload', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function effectsLog(): { effects: HeapEffects; log: string[] } {
    const log: string[] = [];
    return {
      log,
      effects: { grow: (g) => log.push(g ? 'grow' : 'keep'), release: () => log.push('release') },
    };
  }

  it('releases at the first tick when nothing moved, grows while records move, and releases again once idle', () => {
    vi.useFakeTimers();
    const { effects, log } = effectsLog();
    let moved = 0;
    const stop = followWorkload(() => moved, { effects, sizedByUser: false, tickMs: 1000, idleMs: 5000 });
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['keep', 'release']);
    vi.advanceTimersByTime(2000);
    expect(log).toEqual(['keep', 'release']);
    moved = 400;
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['keep', 'release', 'grow']);
    moved = 800;
    vi.advanceTimersByTime(4000);
    expect(log).toEqual(['keep', 'release', 'grow']);
    vi.advanceTimersByTime(5000);
    expect(log).toEqual(['keep', 'release', 'grow', 'keep', 'release']);
    vi.advanceTimersByTime(20_000);
    expect(log).toEqual(['keep', 'release', 'grow', 'keep', 'release']);
    stop();
  });

  it('does not pause a worker that starts on a backlog: it grows at once and releases only once idle', () => {
    vi.useFakeTimers();
    const { effects, log } = effectsLog();
    let moved = 0;
    const stop = followWorkload(() => moved, { effects, sizedByUser: false, tickMs: 200, idleMs: 5000 });
    moved = 400;
    vi.advanceTimersByTime(200);
    expect(log).toEqual(['grow']);
    moved = 300_000;
    vi.advanceTimersByTime(3000);
    expect(log).toEqual(['grow']);
    vi.advanceTimersByTime(5000);
    expect(log).toEqual(['grow', 'keep', 'release']);
    stop();
  });

  it('only releases what start-up left when the user sized the young generation', () => {
    vi.useFakeTimers();
    const { effects, log } = effectsLog();
    let moved = 0;
    followWorkload(() => moved, { effects, sizedByUser: true, tickMs: 1000, idleMs: 5000 });
    moved = 400;
    vi.advanceTimersByTime(30_000);
    expect(log).toEqual(['release']);
  });
});
