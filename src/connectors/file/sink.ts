/**
 * `file` sink: Kafka Connect's FileStreamSink. Each record's value becomes one
 * line appended to the file; lines are written on `flush()`, so the worker
 * commits consumer offsets only for lines that reached the file. Missing
 * parent folders are created.
 */

import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FileSinkConfig } from '../../config/types.gen.js';
import { present } from '../../invariant.js';
import type { SinkConnector, SinkRecord, SinkTask, TaskContext } from '../api.js';
import { valueText } from '../text.js';

export const fileSink: SinkConnector<FileSinkConfig, FileSinkConfig> = {
  kind: 'sink',
  type: 'file',
  // As Connect's FileStreamSink: every task appends to the same file. Each
  // flush is one append of whole lines, so tasks interleave lines, never bytes.
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ file: config.file })),
  createTask: () => new FileSinkTask(),
};

export class FileSinkTask implements SinkTask<FileSinkConfig> {
  private handle: FileHandle | undefined;
  private pending: string[] = [];

  async start(config: FileSinkConfig, context: TaskContext): Promise<void> {
    const path = resolve(context.baseDir, config.file);
    await mkdir(dirname(path), { recursive: true });
    this.handle = await open(path, 'a');
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const r of records) this.pending.push(valueText(r.value));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    const written = this.pending.length;
    await present(this.handle, 'the file the sink opened at start').write(text);
    // Dropped only once written: a failed flush is tried again with the same lines.
    this.pending.splice(0, written);
  }

  async stop(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
