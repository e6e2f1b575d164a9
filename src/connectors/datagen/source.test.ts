import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../converters/index.js';
import type { SourceOffset, SourceRecord } from '../api.js';
import { DatagenSourceTask, datagenSource, payloadOf } from './source.js';

async function started(
  config: Record<string, unknown>,
  options: {
    task?: number;
    tasks?: number;
    stored?: SourceOffset;
    /** Stored offsets by task, for a task that reads the other tasks' too. */
    storedByTask?: Record<number, SourceOffset>;
    now?: () => number;
    signal?: AbortSignal;
  } = {},
) {
  const configs = datagenSource.taskConfigs(config, options.tasks ?? 1, 'gen');
  const task = new DatagenSourceTask(options.now);
  await task.start(configs[options.task ?? 0]!, {
    connector: 'gen',
    task: options.task ?? 0,
    baseDir: '/',
    signal: options.signal ?? AbortSignal.timeout(5000),
    log: { info: () => {}, warn: () => {}, error: () => {} },
    offset: async (partition) =>
      options.storedByTask
        ? (options.storedByTask[partition['task'] as number] ?? null)
        : (options.stored ?? null),
  });
  return task;
}

const seqs = (records: SourceRecord[]) => records.map((r) => (r.value as { seq: number }).seq);

describe('datagen source', () => {
  it('makes count records of the given payload size, then nothing', async () => {
    const stopped = new AbortController();
    const task = await started({ count: 3, payloadBytes: 10 }, { signal: stopped.signal });
    const records = await task.poll();
    expect(seqs(records)).toEqual([0, 1, 2]);
    expect(records[1]!.value).toMatchObject({ seq: 1, payload: 'bcdefghijk' });
    expect(records[2]!.sourceOffset).toEqual({ seq: 2, tasks: 1 });
    stopped.abort();
    expect(await task.poll()).toEqual([]);
  });

  it('writes records JsonConverter accepts', async () => {
    const task = await started({ count: 1, payloadBytes: 3 }, { now: () => 1700000000000 });
    const [r] = await task.poll();
    const bytes = new JsonConverter({ schemasEnable: false, decimalFormat: 'BASE64' }).fromConnectData(
      'gen',
      r!.valueSchema,
      r!.value,
    );
    expect(Buffer.from(bytes!).toString()).toBe('{"seq":0,"ts":1700000000000,"payload":"abc"}');
  });

  it('shares the sequence among tasks and continues after a stored offset', async () => {
    const second = await started({ count: 10 }, { task: 1, tasks: 2, stored: { seq: 5 } });
    expect(seqs(await second.poll())).toEqual([7, 9]);
  });

  it('stores the task count beside seq, and goes on after its own offset while the count is the same', async () => {
    const task = await started({ count: 20 }, { task: 2, tasks: 3, stored: { seq: 5, tasks: 3 } });
    const records = await task.poll();
    expect(seqs(records)).toEqual([8, 11, 14, 17]);
    expect(records[0]!.sourceOffset).toEqual({ seq: 8, tasks: 3 });
  });

  it('after the task count changed, goes on from the first record an old task had not made', async () => {
    // Under 3 tasks: task 0 made up to 9, task 1 up to 4 (slowest: 7 is the first it had not made), task 2 up to 8.
    const storedByTask = { 0: { seq: 9, tasks: 3 }, 1: { seq: 4, tasks: 3 }, 2: { seq: 8, tasks: 3 } };
    const first = await started({ count: 14 }, { task: 0, tasks: 2, storedByTask });
    const second = await started({ count: 14 }, { task: 1, tasks: 2, storedByTask });
    expect(seqs(await first.poll())).toEqual([8, 10, 12]);
    expect(seqs(await second.poll())).toEqual([7, 9, 11, 13]);
  });

  it('a task added to the count starts from the same point, read from the old tasks’ offsets', async () => {
    const storedByTask = { 0: { seq: 6, tasks: 2 }, 1: { seq: 3, tasks: 2 } };
    const added = await started({ count: 12 }, { task: 2, tasks: 3, storedByTask });
    expect(seqs(await added.poll())).toEqual([5, 8, 11]);
  });

  it('keys records key-<seq mod keys> when keys is set', async () => {
    const task = await started({ count: 3, keys: 2 });
    expect((await task.poll()).map((r) => r.key)).toEqual(['key-0', 'key-1', 'key-0']);
  });

  it('keeps to the rate', async () => {
    let now = 0;
    const task = await started({ rate: 100 }, { now: () => now });
    now = 500;
    expect((await task.poll()).length).toBe(50);
    now = 600;
    expect((await task.poll()).length).toBe(10);
  });

  it('gives the same payload for the same sequence number', () => {
    expect(payloadOf(40, 5)).toBe(payloadOf(40, 5));
    expect(payloadOf(40, 5)).toBe('efghi');
  });
});
