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
import { LineWriter } from './line-writer.js';

export const fileSink: SinkConnector<FileSinkConfig, FileSinkConfig> = {
  kind: 'sink',
  type: 'file',
  // As Connect's FileStreamSink: every task appends to the same file. Each
  // write is of whole lines (line-writer.ts), so tasks interleave lines, never bytes.
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ file: config.file })),
  createTask: () => new FileSinkTask(),
};

export class FileSinkTask implements SinkTask<FileSinkConfig> {
  private handle: FileHandle | undefined;
  private readonly lines = new LineWriter();

  async start(config: FileSinkConfig, context: TaskContext): Promise<void> {
    const path = resolve(context.baseDir, config.file);
    await mkdir(dirname(path), { recursive: true });
    this.handle = await open(path, 'a');
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const r of records) this.lines.add(valueText(r.value));
  }

  async flush(): Promise<void> {
    if (this.lines.size === 0) return;
    // Lines are dropped only once written: a failed flush is tried again with the lines not written.
    await this.lines.writeTo(present(this.handle, 'the file the sink opened at start'));
  }

  async stop(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
