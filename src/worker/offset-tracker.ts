/**
 * Which source offsets may be stored. Records go to the broker in batches,
 * several in flight; a batch can be acknowledged before an earlier one. An
 * offset becomes committable only when its batch and every batch submitted
 * before it were acknowledged, so a stored offset never runs ahead of a record
 * the broker has not taken (at-least-once, as Connect's
 * SubmittedRecords does).
 */
import type { SourceOffset, SourcePartition } from '../connectors/api.js';

export interface OffsetEntry {
  partition: SourcePartition;
  offset: SourceOffset;
}

/** Latest offset per source partition, keyed by the partition's JSON. */
export type OffsetMap = Map<string, OffsetEntry>;

interface Pending {
  offsets: OffsetMap;
  records: number;
  acked: boolean;
}

export interface Submission {
  readonly id: number;
}

export class OffsetTracker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private oldest = 0;
  private committable: OffsetMap = new Map();
  private inFlightRecords = 0;

  /** Records submitted and not yet acknowledged: the window a crash may duplicate. */
  get unacknowledged(): number {
    return this.inFlightRecords;
  }

  submit(offsets: OffsetMap, records: number): Submission {
    const id = this.nextId++;
    this.pending.set(id, { offsets, records, acked: false });
    this.inFlightRecords += records;
    return { id };
  }

  ack(submission: Submission): void {
    const entry = this.pending.get(submission.id);
    if (!entry || entry.acked) return;
    entry.acked = true;
    this.inFlightRecords -= entry.records;
    for (;;) {
      const head = this.pending.get(this.oldest);
      if (!head?.acked) break;
      for (const [key, value] of head.offsets) this.committable.set(key, value);
      this.pending.delete(this.oldest);
      this.oldest++;
    }
  }

  /** Offsets that became safe to store since the last call. */
  take(): OffsetEntry[] {
    if (this.committable.size === 0) return [];
    const out = [...this.committable.values()];
    this.committable = new Map();
    return out;
  }

  /** Hands back offsets whose storing failed, unless newer ones arrived meanwhile. */
  restore(entries: OffsetEntry[]): void {
    for (const entry of entries) {
      const key = partitionKey(entry.partition);
      if (!this.committable.has(key)) this.committable.set(key, entry);
    }
  }
}

export function partitionKey(partition: SourcePartition): string {
  return JSON.stringify(partition);
}
