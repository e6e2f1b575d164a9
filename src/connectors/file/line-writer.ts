/**
 * The lines a file sink holds until its flush, appended to the file through
 * one buffer kept for the task's life. Each line is encoded into the buffer
 * on its own: joining a flush's lines into one string and writing that
 * string took 25–55 ms per MB of lines on the bench machine (V8's join, then
 * Node encoding the whole string again for the write), which put the sink
 * of 10 KB records behind Kafka Connect's; line by line into a kept buffer
 * it takes 1–5 ms (docs/BENCHMARKS.md, the file sink's 10 KB records).
 */
import type { FileHandle } from 'node:fs/promises';
import { PipeError } from '../../errors.js';

/** The largest write: lines are appended in writes of whole lines up to this size (or of one longer line). */
export const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

export class LineWriter {
  private pending: string[] = [];
  private buffer: Buffer | undefined;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {}

  get size(): number {
    return this.pending.length;
  }

  add(line: string): void {
    this.pending.push(line);
  }

  /**
   * Appends every line held, each with a newline, in writes of whole lines,
   * so tasks appending to the same file interleave lines, never bytes. A
   * line is dropped once its write is done: after a failure, the next call
   * goes on from the first line not written.
   */
  async writeTo(handle: FileHandle): Promise<void> {
    let written = 0;
    try {
      while (written < this.pending.length) {
        const { bytes, lines } = this.fill(written);
        await writeFully(handle, this.buffer as Buffer, bytes);
        written += lines;
      }
      this.pending = [];
    } finally {
      if (written > 0 && this.pending.length > 0) this.pending.splice(0, written);
    }
  }

  /** Encodes the lines from `from` on into the buffer, as many whole ones as fit (at least one). */
  private fill(from: number): { bytes: number; lines: number } {
    let at = 0;
    let i = from;
    while (i < this.pending.length) {
      const line = this.pending[i] as string;
      const size = Buffer.byteLength(line, 'utf8') + 1;
      if (this.buffer === undefined || at + size > this.buffer.length) {
        if (at > 0) break;
        // The first fill, or a line longer than the buffer: a buffer it fits, kept for the next ones.
        this.buffer = Buffer.allocUnsafeSlow(Math.max(size, this.chunkBytes));
      }
      at += this.buffer.write(line, at, 'utf8');
      this.buffer[at++] = NEWLINE;
      i++;
    }
    return { bytes: at, lines: i - from };
  }
}

/** A write may take fewer bytes than given (a signal, a full disk): the rest goes in further writes. */
async function writeFully(handle: FileHandle, buffer: Buffer, length: number): Promise<void> {
  let offset = 0;
  while (offset < length) {
    const { bytesWritten } = await handle.write(buffer, offset, length - offset);
    if (bytesWritten === 0)
      throw new PipeError('CONNECTOR_FAILED', 'the file sink could not append to its file: nothing written', {
        retriable: true,
      });
    offset += bytesWritten;
  }
}
