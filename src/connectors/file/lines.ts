/**
 * Splits a byte stream into lines the way Kafka Connect's FileStreamSource
 * does, but counting positions in bytes: each line comes with the byte
 * position just after its `\n`, which is the source offset a restart resumes
 * from. A trailing `\r` is dropped; an unterminated last line waits for its
 * `\n`, so a line being written is never emitted half.
 */
const EMPTY = Buffer.alloc(0);
const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private pending: Buffer = EMPTY;
  /** Where the next unread line starts: the offset to store after the last line taken. */
  private start: number;

  constructor(position: number) {
    this.start = position;
  }

  get position(): number {
    return this.start;
  }

  /** Where the next read of the file continues: after the bytes already pushed. */
  get readPosition(): number {
    return this.start + this.pending.length;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** Forgets everything buffered and continues from `position` (a truncated or replaced file). */
  reset(position: number): void {
    this.pending = EMPTY;
    this.start = position;
  }

  /**
   * Hands up to `max` complete lines to `emit` with the position after each,
   * and returns how many it handed over.
   */
  take(max: number, emit: (line: string, end: number) => void): number {
    const buf = this.pending;
    let from = 0;
    let count = 0;
    while (count < max) {
      const nl = buf.indexOf(LF, from);
      if (nl < 0) break;
      const stop = nl > from && buf[nl - 1] === CR ? nl - 1 : nl;
      emit(buf.toString('utf8', from, stop), this.start + nl + 1);
      from = nl + 1;
      count++;
    }
    if (from > 0) {
      this.pending = from === buf.length ? EMPTY : buf.subarray(from);
      this.start += from;
    }
    return count;
  }
}
