/**
 * Temporary folders named after the process that owns them
 * (`pipe-kafka-<pid>-XXXXXX`), so the next start can tell a folder left by a
 * run killed with SIGKILL (its owner is gone) from one still in use, and
 * remove only the former. Folders without a pid in their name are left alone.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A new folder `<parent>/<name>-<this pid>-XXXXXX`. */
export function ownedTempFolder(parent: string, name: string): Promise<string> {
  return mkdtemp(join(parent, `${name}-${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<parent>/<name>-<pid>-*` folders whose process has exited; returns their paths. */
export async function removeAbandonedFolders(parent: string, name: string): Promise<string[]> {
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)-`);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const path = join(parent, entry);
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
