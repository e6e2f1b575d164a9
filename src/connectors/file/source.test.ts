import { appendFile, mkdtemp, open, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceOffset, SourceRecord } from '../api.js';
import { FileSourceTask, fileSource } from './source.js';

let dir: string;
let controller: AbortController;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-file-source-'));
  controller = new AbortController();
  warnings = [];
});
afterEach(async () => {
  controller.abort();
  await rm(dir, { recursive: true, force: true });
});

async function startTask(
  options: {
    stored?: SourceOffset;
    onTruncate?: 'restart' | 'fail';
    batchSize?: number;
    pollIntervalMs?: number;
  } = {},
): Promise<FileSourceTask> {
  const task = new FileSourceTask();
  const [config] = fileSource.taskConfigs(
    {
      file: 'in.txt',
      batchSize: options.batchSize ?? 2000,
      onTruncate: options.onTruncate ?? 'restart',
      pollIntervalMs: options.pollIntervalMs ?? 20,
    },
    1,
    'connect-test',
  );
  await task.start(config!, {
    connector: 'local-file-source',
    task: 0,
    baseDir: dir,
    signal: controller.signal,
    log: { info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
    offset: async (partition) => {
      expect(partition).toEqual({ filename: 'in.txt' });
      return options.stored ?? null;
    },
  });
  return task;
}

/** Polls until `n` records came (or fails after 5 s). */
async function pollN(task: FileSourceTask, n: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const deadline = Date.now() + 5000;
  while (out.length < n) {
    if (Date.now() > deadline) throw new Error(`got ${out.length} of ${n} records`);
    out.push(...(await task.poll()));
  }
  return out;
}

const lines = (records: SourceRecord[]) => records.map((r) => [r.value, r.sourceOffset['position']]);

describe('file source task', () => {
  it('emits Connect’s record for each line: string schema, null key, {filename} partition, {position} offset', async () => {
    const task = await startTask();
    await writeFile(join(dir, 'in.txt'), 'aaa\n');
    const [record] = await pollN(task, 1);
    expect(record).toEqual({
      sourcePartition: { filename: 'in.txt' },
      sourceOffset: { position: 4 },
      topic: 'connect-test',
      keySchema: null,
      key: null,
      valueSchema: { type: 'string', optional: false },
      value: 'aaa',
    });
    await task.stop();
  });

  it('waits for the file to appear, then picks up appended lines', async () => {
    const task = await startTask();
    expect(await task.poll()).toEqual([]);
    await writeFile(join(dir, 'in.txt'), 'aaa\n');
    expect(lines(await pollN(task, 1))).toEqual([['aaa', 4]]);
    await appendFile(join(dir, 'in.txt'), 'bbb\nccc\n');
    expect(lines(await pollN(task, 2))).toEqual([
      ['bbb', 8],
      ['ccc', 12],
    ]);
    await task.stop();
  });

  it('resumes after the stored position', async () => {
    await writeFile(join(dir, 'in.txt'), 'aaa\nbbb\nccc\n');
    const task = await startTask({ stored: { position: 8 } });
    expect(lines(await pollN(task, 1))).toEqual([['ccc', 12]]);
    await task.stop();
  });

  it('returns at most batchSize records per poll', async () => {
    await writeFile(join(dir, 'in.txt'), '1\n2\n3\n4\n5\n');
    const task = await startTask({ batchSize: 2 });
    expect((await task.poll()).length).toBe(2);
    expect((await task.poll()).length).toBe(2);
    expect((await task.poll()).length).toBe(1);
    await task.stop();
  });

  it('reads a file shorter than the stored offset from its start, without an empty record', async () => {
    await writeFile(join(dir, 'in.txt'), 'new\n');
    const task = await startTask({ stored: { position: 100 } });
    expect(lines(await pollN(task, 1))).toEqual([['new', 4]]);
    expect(warnings.join('\n')).toMatch(/shorter than the stored offset 100/);
    await task.stop();
  });

  it('reads a file truncated and rewritten while it was read from its start', async () => {
    const file = join(dir, 'in.txt');
    await writeFile(file, 'aaa\nbbb\nccc\n');
    const task = await startTask();
    await pollN(task, 3);
    expect(await task.poll()).toEqual([]);
    await truncate(file, 0);
    await writeFile(file, 'xxxxxxxx\nyyyyyyyy\n');
    expect(lines(await pollN(task, 2))).toEqual([
      ['xxxxxxxx', 9],
      ['yyyyyyyy', 18],
    ]);
    expect(warnings.join('\n')).toMatch(/rewritten from its start|shrank/);
    await task.stop();
  });

  it('follows a rotation: the file replaced by a new one is read from its start', async () => {
    const file = join(dir, 'in.txt');
    await writeFile(file, 'old-1\nold-2\n');
    const task = await startTask();
    await pollN(task, 2);
    await rename(file, join(dir, 'in.txt.1'));
    await writeFile(file, 'new-1\n');
    expect(lines(await pollN(task, 1))).toEqual([['new-1', 6]]);
    expect(warnings.join('\n')).toMatch(/replaced/);
    await task.stop();
  });

  it('warns when a line already read is rewritten in the middle of the file, and reads on', async () => {
    const file = join(dir, 'in.txt');
    await writeFile(file, 'aaa\nbbb\nccc\n');
    const task = await startTask();
    await pollN(task, 3);
    expect(await task.poll()).toEqual([]);
    const handle = await open(file, 'r+');
    await handle.write('BBB', 4);
    await handle.write('ddd\n', 12);
    await handle.close();
    expect(lines(await pollN(task, 1))).toEqual([['ddd', 16]]);
    expect(warnings.join('\n')).toMatch(/changed before byte 12/);
    await task.stop();
  });

  it('fails on a truncated file when onTruncate is fail', async () => {
    await writeFile(join(dir, 'in.txt'), 'x\n');
    const task = await startTask({ stored: { position: 50 }, onTruncate: 'fail' });
    await expect(task.poll()).rejects.toMatchObject({ code: 'CONNECTOR_FAILED' });
    await task.stop();
  });

  it('returns at once when the worker aborts a waiting poll', async () => {
    // A poll interval longer than the test's timeout: only the abort can end this poll in time.
    const task = await startTask({ pollIntervalMs: 3_600_000 });
    const polled = task.poll();
    controller.abort();
    expect(await polled).toEqual([]);
    await task.stop();
  });
});
