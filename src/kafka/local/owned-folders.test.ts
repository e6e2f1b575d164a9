import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ownedTempFolder, removeAbandonedFolders } from './owned-folders.js';

const parent = mkdtempSync(join(tmpdir(), 'pipe-owned-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('folders named after their owner process', () => {
  it('are created with this process id in their name', async () => {
    const dir = await ownedTempFolder(parent, 'pipe-kafka');
    expect(basename(dir)).toMatch(new RegExp(`^pipe-kafka-${process.pid}-\\w{6}$`));
  });

  it('are removed when their owner has exited, and only then', async () => {
    const dead = join(parent, `pipe-kafka-${deadPid()}-abc123`);
    const ours = join(parent, `pipe-kafka-${process.pid}-def456`);
    const living = join(parent, `pipe-kafka-${process.ppid}-ghi789`);
    const unnamed = join(parent, 'pipe-kafka-Xy12Ab');
    const other = join(parent, `pipe-connect-${deadPid()}-abc123`);
    for (const dir of [dead, ours, living, unnamed, other]) mkdirSync(join(dir, 'data'), { recursive: true });

    expect(await removeAbandonedFolders(parent, 'pipe-kafka')).toEqual([dead]);
    expect([dead, ours, living, unnamed, other].map(existsSync)).toEqual([false, true, true, true, true]);
  });

  it('treat a name with dots literally', async () => {
    const dead = join(parent, `broker.tmp-${deadPid()}-abc123`);
    const lookalike = join(parent, `brokerXtmp-${deadPid()}-abc123`);
    mkdirSync(dead);
    mkdirSync(lookalike);
    expect(await removeAbandonedFolders(parent, 'broker.tmp')).toEqual([dead]);
    expect(existsSync(lookalike)).toBe(true);
  });

  it('find nothing to remove in a folder that does not exist', async () => {
    expect(await removeAbandonedFolders(join(parent, 'missing'), 'pipe-kafka')).toEqual([]);
  });
});
