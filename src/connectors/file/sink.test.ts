import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SinkRecord } from '../api.js';
import { FileSinkTask, fileSink } from './sink.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-file-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (value: unknown): SinkRecord => ({
  topic: 't',
  partition: 0,
  offset: '0',
  timestamp: 0,
  keySchema: null,
  key: null,
  valueSchema: null,
  value,
  headers: [],
});

async function started(file: string): Promise<FileSinkTask> {
  const task = new FileSinkTask();
  const [config] = fileSink.taskConfigs({ file }, 1);
  await task.start(config!, {
    connector: 'sink',
    task: 0,
    baseDir: dir,
    signal: new AbortController().signal,
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  return task;
}

async function content(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

describe('file sink task', () => {
  it('creates missing parent folders and appends one line per value, on flush', async () => {
    const path = join(dir, 'a', 'b', 'out.txt');
    const task = await started('a/b/out.txt');
    await task.put([record('aaa'), record('bbb')]);
    expect(await content(path)).toBe('');
    await task.flush();
    expect(await content(path)).toBe('aaa\nbbb\n');
    await task.put([record('ccc')]);
    await task.flush();
    await task.stop();
    expect(await content(path)).toBe('aaa\nbbb\nccc\n');
  });

  it('writes structured values as JSON with exact 64-bit integers, and null as null', async () => {
    const task = await started('out.txt');
    await task.put([record({ id: 9007199254740993n, name: 'x' }), record(null), record(42)]);
    await task.flush();
    await task.stop();
    expect(await content(join(dir, 'out.txt'))).toBe('{"id":9007199254740993,"name":"x"}\nnull\n42\n');
  });

  it('makes as many tasks as asked, all appending to the same file, as Connect does', () => {
    expect(fileSink.taskConfigs({ file: 'f' }, 3)).toEqual([{ file: 'f' }, { file: 'f' }, { file: 'f' }]);
  });
});
