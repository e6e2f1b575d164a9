/**
 * How the CLI sizes V8's heap around the embedded worker: small while it
 * starts and while its pipelines are idle, free to grow while records move.
 * V8 sizes the young generation by how many young objects survive, not by how
 * busy the process is. Loading the CLI's modules, starting connectors and an
 * idle worker's own polling (pending polls, fetches and timers survive each
 * scavenge) all read to V8 as reasons to grow it, and it never shrinks it on
 * its own while the worker keeps allocating a little: 20 idle connectors sat
 * on an 8 MB young generation, about 1 MB of it used. The worker knows
 * whether records move; V8 does not.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const SEMI_SPACE_FLAG = /--(max|min)-semi-space-size|--semi-space-growth-factor/;

/** Whether the user sized V8's young generation themselves (node options or NODE_OPTIONS); theirs then wins. */
export function youngGenerationSizedByUser(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env['NODE_OPTIONS'],
): boolean {
  return [...execArgv, nodeOptions ?? ''].some((arg) => SEMI_SPACE_FLAG.test(arg));
}

/**
 * How much the young generation grows at once while records move. V8's own
 * factor is 2 (`semi_space_growth_factor` in V8 12.4's flag-definitions.h,
 * Node 22), and V8 grows only after a semi-space's worth of objects survived
 * since the last growth: from 1 MB, 4 growths and many scavenges before the
 * 16 MB ceiling, while batches in flight are copied and promoted at each one.
 * 16 reaches the ceiling at the first growth.
 */
const BUSY_GROWTH_FACTOR = 16;

/**
 * Keeps the young generation at its current size (two 1 MB semi-spaces from
 * the start) or lets it grow to its ceiling. `--max-semi-space-size` is read
 * only when the heap is created, so it could not come from here, but the
 * growth factor is read at each growth. Batches in flight must be free to
 * grow it: kept in two 1 MB semi-spaces, they are scavenged over and over and
 * promoted, which cost a third of the file source's rate.
 */
export function setYoungGenerationGrowth(grow: boolean): void {
  setFlagsFromString(`--semi-space-growth-factor=${grow ? BUSY_GROWTH_FACTOR : 1}`);
}

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One full GC in V8's memory-reducing mode: it compacts the old generation,
 * returns the emptied pages, and shrinks the young generation back to its
 * initial size. Start-up leaves the old generation about 40% free space spread
 * over its pages (35 MB committed for 21 MB live with 20 idle connectors).
 * Node has no call for it but the `gc` of `--expose-gc`, which is taken from a
 * throw-away context so that no `gc` global appears anywhere.
 */
export function releaseHeap(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as Gc;
  setFlagsFromString('--no-expose-gc');
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export type HeapMode = 'starting' | 'idle' | 'busy';

/**
 * The heap's next step, given the records the worker has moved so far: busy
 * as soon as the count changes; idle, with the heap released, at the first
 * look if nothing moved since the worker got ready, or once the count stood
 * still for `idleMs`. Pure, so the policy is tested without a worker.
 */
export function nextHeapMode(
  state: { mode: HeapMode; moved: number; changedAt: number },
  moved: number,
  now: number,
  idleMs: number,
): { mode: HeapMode; moved: number; changedAt: number } {
  if (moved !== state.moved) return { mode: 'busy', moved, changedAt: now };
  if (state.mode === 'starting') return { ...state, mode: 'idle' };
  if (state.mode === 'busy' && now - state.changedAt >= idleMs) return { ...state, mode: 'idle' };
  return state;
}

/**
 * How often the worker's record count is read (a counter: cheap), and how
 * long it must stand still to count as idle. The short tick is for the
 * start of a burst: a worker that starts on a full file moves 100,000
 * records a second, in two 1 MB semi-spaces until the tick sees them.
 */
export const HEAP_TICK_MS = 200;
export const IDLE_AFTER_MS = 10_000;

export interface HeapEffects {
  grow(grow: boolean): void;
  release(): void;
}

const V8_EFFECTS: HeapEffects = { grow: setYoungGenerationGrowth, release: releaseHeap };

/**
 * Once the worker is ready: follows its workload. The young generation grows
 * while records move. The heap is released (start-up's leftovers, or the
 * last burst's) when the worker is idle: at the first tick if no record
 * moved since it got ready, else after `IDLE_AFTER_MS` without one; so an
 * idle worker holds what it uses, and a worker that starts on a backlog is
 * not paused by a full GC (a quarter of a second on a loaded machine) while
 * its first records are in flight. With the user's own young-generation
 * flags, only the start-up release is done, at once.
 * Returns the stop function (the timer does not keep the process alive).
 */
export function followWorkload(
  recordsMoved: () => number,
  options: { effects?: HeapEffects; sizedByUser?: boolean; tickMs?: number; idleMs?: number } = {},
): () => void {
  const effects = options.effects ?? V8_EFFECTS;
  if (options.sizedByUser ?? youngGenerationSizedByUser()) {
    effects.release();
    return () => {};
  }
  const idleMs = options.idleMs ?? IDLE_AFTER_MS;
  let state = { mode: 'starting' as HeapMode, moved: recordsMoved(), changedAt: Date.now() };
  const timer = setInterval(() => {
    const next = nextHeapMode(state, recordsMoved(), Date.now(), idleMs);
    if (next.mode !== state.mode) {
      effects.grow(next.mode === 'busy');
      if (next.mode === 'idle') effects.release();
    }
    state = next;
  }, options.tickMs ?? HEAP_TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
