import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileOffsetStore } from './offset-store.js';

let dir: string;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-offsets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileOffsetStore', () => {
  it('starts empty without a file, and keeps offsets under Connect’s key text across a reopen', async () => {
    const path = join(dir, 'sub', 'offsets.json');
    const store = await FileOffsetStore.open(path);
    expect(store.get('src', { filename: 'a.txt' })).toBeNull();
    await store.put('src', [{ partition: { filename: 'a.txt' }, offset: { position: 35 } }]);
    await store.close();

    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved).toEqual({ version: 1, offsets: { '["src",{"filename":"a.txt"}]': { position: 35 } } });
    const reopened = await FileOffsetStore.open(path);
    expect(reopened.get('src', { filename: 'a.txt' })).toEqual({ position: 35 });
  });

  it('makes its folder again when it was removed while the worker ran', async () => {
    const path = join(dir, 'sub', 'offsets.json');
    const store = await FileOffsetStore.open(path);
    await store.put('src', [{ partition: { filename: 'a.txt' }, offset: { position: 1 } }]);
    await rm(join(dir, 'sub'), { recursive: true });
    await store.put('src', [{ partition: { filename: 'a.txt' }, offset: { position: 2 } }]);
    const reopened = await FileOffsetStore.open(path);
    expect(reopened.get('src', { filename: 'a.txt' })).toEqual({ position: 2 });
  });

  it('rejects a save it cannot write, and saves again once it can', async () => {
    const path = join(dir, 'sub', 'offsets.json');
    const store = await FileOffsetStore.open(path);
    await store.put('src', [{ partition: { filename: 'a.txt' }, offset: { position: 1 } }]);
    // The folder replaced by a file: no temporary file can be made beside the offsets.
    await rm(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'sub'), 'not a folder');
    await expect(
      store.put('src', [{ partition: { filename: 'a.txt' }, offset: { position: 2 } }]),
    ).rejects.toMatchObject({ code: 'ENOTDIR' });
    await rm(join(dir, 'sub'));
    await store.put('src', [{ partition: { filename: 'a.txt' }, offset: { position: 3 } }]);
    const reopened = await FileOffsetStore.open(path);
    expect(reopened.get('src', { filename: 'a.txt' })).toEqual({ position: 3 });
  });

  it('has the first put of an event-loop turn in the file when it returns, through a temporary file that does not stay', async () => {
    const path = join(dir, 'offsets.json');
    const store = await FileOffsetStore.open(path);
    const inFile = () => JSON.parse(readFileSync(path, 'utf8')).offsets;
    for (let position = 1; position <= 3; position++) {
      const saved = store.put('a', [{ partition: { filename: 'x' }, offset: { position } }]);
      expect(inFile()).toEqual({ '["a",{"filename":"x"}]': { position } });
      await saved;
      await nextTurn();
    }
    expect(await readdir(dir)).toEqual(['offsets.json']);
  });

  it('shares one save, at the end of the turn, among the puts after the first in that turn', async () => {
    const path = join(dir, 'offsets.json');
    const store = await FileOffsetStore.open(path);
    const inFile = () => Object.keys(JSON.parse(readFileSync(path, 'utf8')).offsets);
    const first = store.put('a', [{ partition: { filename: 'x' }, offset: { position: 1 } }]);
    const second = store.put('b', [{ partition: { filename: 'x' }, offset: { position: 2 } }]);
    const third = store.put('c', [{ partition: { filename: 'x' }, offset: { position: 3 } }]);
    expect(third).toBe(second);
    expect(inFile()).toEqual(['["a",{"filename":"x"}]']);
    await Promise.all([first, second]);
    expect(inFile()).toEqual(['["a",{"filename":"x"}]', '["b",{"filename":"x"}]', '["c",{"filename":"x"}]']);
  });

  it('rejects every put that shared a save it could not write', async () => {
    const path = join(dir, 'sub', 'offsets.json');
    const store = await FileOffsetStore.open(path);
    await store.put('a', [{ partition: { filename: 'x' }, offset: { position: 1 } }]);
    await nextTurn();
    const first = store.put('a', [{ partition: { filename: 'x' }, offset: { position: 2 } }]);
    const shared = store.put('b', [{ partition: { filename: 'x' }, offset: { position: 3 } }]);
    // Before the turn ends: the shared save finds a file where its folder was.
    rmSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub'), 'not a folder');
    await first;
    await expect(shared).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('writes a file of one page over itself, padding a shorter text with spaces so that no old byte remains', async () => {
    const path = join(dir, 'offsets.json');
    const store = await FileOffsetStore.open(path);
    await store.put('a', [{ partition: { filename: 'x' }, offset: { position: 123_456_789 } }]);
    const { ino, size } = statSync(path);
    await nextTurn();
    await store.put('a', [{ partition: { filename: 'x' }, offset: { position: 7 } }]);
    expect(statSync(path)).toMatchObject({ ino, size });
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/ +\n$/);
    expect(JSON.parse(text).offsets).toEqual({ '["a",{"filename":"x"}]': { position: 7 } });
    expect(await readdir(dir)).toEqual(['offsets.json']);
  });

  it('replaces a file larger than a page, and writes a text larger than a page through a temporary file', async () => {
    const path = join(dir, 'offsets.json');
    await writeFile(path, `{"version":1,"offsets":{}}${' '.repeat(5_000)}\n`);
    const store = await FileOffsetStore.open(path);
    const before = statSync(path).ino;
    await store.put('a', [{ partition: { filename: 'x' }, offset: { position: 1 } }]);
    const small = statSync(path);
    expect(small.ino).not.toBe(before);
    expect(small.size).toBeLessThan(200);
    await nextTurn();
    const many = Array.from({ length: 100 }, (_, i) => ({
      partition: { filename: `file-${i}` },
      offset: { position: i },
    }));
    await store.put('a', many);
    expect(statSync(path).ino).not.toBe(small.ino);
    expect((await FileOffsetStore.open(path)).list('a')).toHaveLength(101);
  });

  it('has the last put in the file once closed', async () => {
    const path = join(dir, 'offsets.json');
    const store = await FileOffsetStore.open(path);
    void store.put('a', [{ partition: { filename: 'x' }, offset: { position: 7 } }]);
    await store.close();
    expect((await FileOffsetStore.open(path)).get('a', { filename: 'x' })).toEqual({ position: 7 });
  });

  it('drops every offset of a deleted connector and leaves the others', async () => {
    const path = join(dir, 'offsets.json');
    const store = await FileOffsetStore.open(path);
    await store.put('a', [{ partition: { filename: 'x' }, offset: { position: 1 } }]);
    await store.put('b', [{ partition: { filename: 'x' }, offset: { position: 2 } }]);
    await store.drop('a');
    const reopened = await FileOffsetStore.open(path);
    expect(reopened.get('a', { filename: 'x' })).toBeNull();
    expect(reopened.get('b', { filename: 'x' })).toEqual({ position: 2 });
  });

  it("refuses Kafka Connect standalone's own file, naming it and how to convert it", async () => {
    const path = join(dir, 'connect.offsets');
    await copyFile(
      new URL('../../test/fixtures/connect-standalone/two-file-sources-4.2.0.offsets', import.meta.url),
      path,
    );
    await expect(FileOffsetStore.open(path)).rejects.toMatchObject({
      code: 'STATE_CORRUPT',
      message: `offset file ${path} is Kafka Connect standalone's (Java-serialized), not pipe's: pipe keeps its own JSON offset file and never writes Connect's`,
      meta: { file: path, hint: expect.stringContaining('pipe import converts') },
    });
  });

  it('refuses a file that is not JSON with STATE_CORRUPT', async () => {
    const path = join(dir, 'offsets.json');
    await writeFile(path, 'not json');
    await expect(FileOffsetStore.open(path)).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
  });
});
