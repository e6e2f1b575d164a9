/**
 * `file` source: Kafka Connect's FileStreamSource, one record per line.
 * Source partition `{filename}` (the path as configured), offset
 * `{position}` (bytes after the line), value schema
 * `{"type":"string","optional":false}`, key null, one task.
 *
 * Unlike Connect, it notices when the file under it changes identity: a file
 * shorter than the stored position, a file whose first bytes changed
 * (truncated and written again while the task was idle) and a file replaced
 * by another (rotation) are read again from their start (or fail the task,
 * `onTruncate: fail`), instead of being read from a stale position, which
 * skips lines and can emit an empty record. Bytes changed in the middle of
 * the part already read only warrant a warning.
 */

import type { Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileSourceConfig } from '../../config/types.gen.js';
import type { ConnectSchema } from '../../converters/index.js';
import { PipeError } from '../../errors.js';
import { present } from '../../invariant.js';
import type {
  SourceConnector,
  SourcePartition,
  SourceRecord,
  SourceTask,
  SourceTaskContext,
} from '../api.js';
import { ChangeSignal } from './change-signal.js';
import { LineSplitter } from './lines.js';

export interface FileSourceTaskConfig {
  file: string;
  topic: string;
  batchSize: number;
  onTruncate: 'restart' | 'fail';
  pollIntervalMs: number;
}

const VALUE_SCHEMA: ConnectSchema = { type: 'string', optional: false };
const CHUNK_BYTES = 1 << 20;
/** At most this many bytes of the first line, and just before the read position, tell a rewritten file. */
const FINGERPRINT_BYTES = 128;

export const fileSource: SourceConnector<FileSourceConfig, FileSourceTaskConfig> = {
  kind: 'source',
  type: 'file',
  // FileStreamSource reads one file in order: one task whatever `tasks` says.
  taskConfigs: (config, _maxTasks, topic) => [
    {
      file: config.file,
      topic,
      batchSize: config.batchSize ?? 2000,
      onTruncate: config.onTruncate ?? 'restart',
      pollIntervalMs: config.pollIntervalMs ?? 250,
    },
  ],
  createTask: () => new FileSourceTask(),
};

interface Fingerprint {
  at: number;
  head: Buffer;
  tail: Buffer;
}

export class FileSourceTask implements SourceTask<FileSourceTaskConfig> {
  private config!: FileSourceTaskConfig;
  private context!: SourceTaskContext;
  private path = '';
  private partition: SourcePartition = {};
  private handle: FileHandle | undefined;
  private identity: Pick<Stats, 'dev' | 'ino'> | undefined;
  private splitter = new LineSplitter(0);
  private changes!: ChangeSignal;
  /** Taken when the reader reaches the end of the file, checked before it reads on. */
  private fingerprint: Fingerprint | undefined;
  private waitingLogged = false;
  private rewriteWarnedAt = -1;
  /**
   * The chunk of a read that found nothing, used by the next read: an idle
   * file polled four times a second would otherwise cost a new megabyte each
   * time, 40 MB/s of garbage for ten idle sources, which kept the worker busy
   * with full GCs and its RSS up while it had nothing to do.
   */
  private spare: Buffer | undefined;

  async start(config: FileSourceTaskConfig, context: SourceTaskContext): Promise<void> {
    this.config = config;
    this.context = context;
    this.path = resolve(context.baseDir, this.config.file);
    this.partition = { filename: this.config.file };
    const stored = await context.offset(this.partition);
    const position = stored?.['position'];
    if (
      stored !== null &&
      (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0)
    ) {
      throw new PipeError(
        'STATE_CORRUPT',
        `stored offset of ${context.connector} for ${this.config.file} is not a byte position: ${JSON.stringify(stored)}`,
      );
    }
    this.splitter = new LineSplitter(typeof position === 'number' ? position : 0);
    this.changes = new ChangeSignal(this.path);
  }

  async poll(): Promise<SourceRecord[]> {
    const { signal } = this.context;
    while (!signal.aborted) {
      const records = this.take();
      if (records.length > 0) return records;
      this.changes.arm();
      if (!this.handle && !(await this.open())) {
        await this.changes.wait(this.config.pollIntervalMs, signal);
        return [];
      }
      if (this.fingerprint) await this.checkIdentity(this.fingerprint);
      const read = await this.read();
      if (read > 0) continue;
      this.fingerprint = await this.takeFingerprint();
      if (await this.replaced()) continue;
      await this.changes.wait(this.config.pollIntervalMs, signal);
      return [];
    }
    return [];
  }

  async stop(): Promise<void> {
    this.changes?.close();
    await this.handle?.close();
    this.handle = undefined;
  }

  private take(): SourceRecord[] {
    const records: SourceRecord[] = [];
    const { topic } = this.config;
    const partition = this.partition;
    this.splitter.take(this.config.batchSize, (line, end) => {
      records.push({
        sourcePartition: partition,
        sourceOffset: { position: end },
        topic,
        keySchema: null,
        key: null,
        valueSchema: VALUE_SCHEMA,
        value: line,
      });
    });
    return records;
  }

  private async open(): Promise<boolean> {
    try {
      this.handle = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!this.waitingLogged) {
        this.context.log.info(`waiting for ${this.path} to appear`);
        this.waitingLogged = true;
      }
      return false;
    }
    this.waitingLogged = false;
    const st = await this.handle.stat();
    this.identity = { dev: st.dev, ino: st.ino };
    if (st.size < this.splitter.readPosition) {
      await this.truncated(
        `${this.path} is ${st.size} bytes, shorter than the stored offset ${this.splitter.position}`,
      );
    }
    return true;
  }

  /** The file poll opened before reading, fingerprinting or checking it. */
  private openFile(): FileHandle {
    return present(this.handle, `the open file ${this.path}`);
  }

  private async read(): Promise<number> {
    const handle = this.openFile();
    const buffer = this.spare ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.spare = undefined;
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, this.splitter.readPosition);
    if (bytesRead > 0) {
      this.splitter.push(buffer.subarray(0, bytesRead));
      this.fingerprint = undefined;
    } else {
      this.spare = buffer;
    }
    return bytesRead;
  }

  private async bytesAt(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.openFile().read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }

  private async takeFingerprint(): Promise<Fingerprint> {
    const at = this.splitter.readPosition;
    const tailFrom = Math.max(0, at - FINGERPRINT_BYTES);
    const start = await this.bytesAt(0, Math.min(at, FINGERPRINT_BYTES));
    const firstLineEnd = start.indexOf(0x0a);
    return {
      at,
      // The first line alone: an edit further on is a change in the middle, not a new file.
      head: firstLineEnd < 0 ? start : start.subarray(0, firstLineEnd + 1),
      tail: await this.bytesAt(tailFrom, at - tailFrom),
    };
  }

  /** Run after the file was idle and before reading on: was it cut short or rewritten meanwhile? */
  private async checkIdentity(fp: Fingerprint): Promise<void> {
    const st = await this.openFile().stat();
    if (st.size < fp.at) {
      await this.truncated(
        `${this.path} shrank to ${st.size} bytes, below the position ${fp.at} already read`,
      );
      return;
    }
    const head = await this.bytesAt(0, fp.head.length);
    if (!head.equals(fp.head)) {
      await this.truncated(`${this.path} was rewritten from its start`);
      return;
    }
    const tail = await this.bytesAt(fp.at - fp.tail.length, fp.tail.length);
    if (!tail.equals(fp.tail) && this.rewriteWarnedAt !== fp.at) {
      this.rewriteWarnedAt = fp.at;
      this.context.log.warn(
        `${this.path} changed before byte ${fp.at}, in a part already read: those lines are not read again`,
      );
    }
    this.fingerprint = undefined;
  }

  private async truncated(what: string): Promise<void> {
    if (this.config.onTruncate === 'fail') {
      throw new PipeError('CONNECTOR_FAILED', `${what} (onTruncate: fail)`, {
        meta: { resource: `source.${this.context.connector}`, file: this.path },
      });
    }
    this.context.log.warn(`${what}: reading it again from its start`);
    this.splitter.reset(0);
    this.fingerprint = undefined;
  }

  /**
   * At the end of the open file: has another file taken its name (rotation)?
   * Switches to it from its start; a file merely removed is waited for.
   */
  private async replaced(): Promise<boolean> {
    let current: Stats;
    try {
      current = await stat(this.path);
    } catch {
      return false;
    }
    if (current.ino === this.identity?.ino && current.dev === this.identity?.dev) return false;
    await this.handle?.close();
    this.handle = undefined;
    this.fingerprint = undefined;
    this.context.log.warn(`${this.path} was replaced by a new file: reading the new file from its start`);
    this.splitter.reset(0);
    const opened = await this.open();
    return opened;
  }
}
