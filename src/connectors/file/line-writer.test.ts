import { type FileHandle, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineWriter } from './line-writer.js';

let dir: string;
let path: string;
let handle: FileHandle;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-line-writer-'));
  path = join(dir, 'out.txt');
  handle = await open(path, 'a');
});
afterEach(async () => {
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

/** Records each write's bytes, and fails the write numbered `failAt` (from 1) once. */
function recording(target: FileHandle, failAt?: number) {
  const writes: string[] = [];
  let calls = 0;
  const fake = {
    write: async (buffer: Buffer, offset: number, length: number) => {
      calls++;
      if (calls === failAt) throw new Error('disk gone');
      writes.push(buffer.toString('utf8', offset, offset + length));
      return target.write(buffer, offset, length);
    },
  } as unknown as FileHandle;
  return { fake, writes };
}

describe('line writer', () => {
  it('appends each line with a newline, UTF-8 as a string write would', async () => {
    const lines = new LineWriter();
    for (const l of ['plain', 'é – ✓ 🙂', '', 'lone \ud800 surrogate']) lines.add(l);
    await lines.writeTo(handle);
    expect(lines.size).toBe(0);
    const expected = Buffer.from('plain\né – ✓ 🙂\n\nlone \ud800 surrogate\n', 'utf8');
    expect(await readFile(path)).toEqual(expected);
  });

  it('writes whole lines only, in chunks up to its size, a longer line alone', async () => {
    const lines = new LineWriter(10);
    const { fake, writes } = recording(handle);
    for (const l of ['aaa', 'bbb', 'ccc', 'a line longer than ten', 'dd']) lines.add(l);
    await lines.writeTo(fake);
    expect(writes).toEqual(['aaa\nbbb\n', 'ccc\n', 'a line longer than ten\n', 'dd\n']);
    // The buffer grown for the long line is kept: later chunks fill it.
    lines.add('eeee');
    lines.add('ffff');
    await lines.writeTo(fake);
    expect(writes.at(-1)).toBe('eeee\nffff\n');
    expect(await readFile(path, 'utf8')).toBe('aaa\nbbb\nccc\na line longer than ten\ndd\neeee\nffff\n');
  });

  it('keeps the lines not written after a failed write, and only those', async () => {
    const lines = new LineWriter(8);
    const { fake } = recording(handle, 2);
    for (const l of ['one', 'two', 'three', 'four']) lines.add(l);
    await expect(lines.writeTo(fake)).rejects.toThrow('disk gone');
    expect(lines.size).toBe(2);
    await lines.writeTo(fake);
    expect(lines.size).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
  });

  it('goes on after a short write', async () => {
    const lines = new LineWriter();
    const taken: number[] = [];
    const fake = {
      write: async (buffer: Buffer, offset: number, length: number) => {
        taken.push(taken.length === 0 ? 2 : length);
        return handle.write(buffer, offset, taken.at(-1));
      },
    } as unknown as FileHandle;
    lines.add('abcdef');
    await lines.writeTo(fake);
    expect(await readFile(path, 'utf8')).toBe('abcdef\n');
    expect(taken).toEqual([2, 5]);
  });
});
