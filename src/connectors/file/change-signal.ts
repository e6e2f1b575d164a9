/**
 * Wakes a waiting reader when its file may have changed: fs.watch on the
 * file's folder (which also sees the file appear, be renamed or replaced),
 * with a timer as the fallback where watching is unavailable or misses an
 * event (network file systems, a folder that does not exist yet).
 */
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { pause } from '../api.js';

export class ChangeSignal {
  private changed = false;
  private wake: (() => void) | undefined;
  private watcher: FSWatcher | undefined;

  constructor(private readonly path: string) {
    this.tryWatch();
  }

  /** Forget earlier changes: call before reading, so a change during the read still wakes the next wait. */
  arm(): void {
    this.changed = false;
    if (!this.watcher) this.tryWatch();
  }

  /** Resolves on a change since `arm`, after `ms`, or when `signal` aborts. */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    // An abort that came before the wait fires no event: without this check the wait would run its full time.
    if (this.changed || signal.aborted) return;
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    await Promise.race([woken, pause(ms, controller.signal)]);
    controller.abort();
    signal.removeEventListener('abort', onAbort);
    this.wake = undefined;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.wake?.();
  }

  private tryWatch(): void {
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        if (file !== null && file !== name) return;
        this.changed = true;
        this.wake?.();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // the folder does not exist yet: the timer polls until it does
      this.watcher = undefined;
    }
  }
}
