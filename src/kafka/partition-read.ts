/**
 * One partition of a read (read-topic.ts to the end, a sink without one): its next offset, its
 * end, and the aborted transactions it is inside. The fetch protocol lets a
 * broker answer a read_committed fetch with the batches of aborted
 * transactions, listing those transactions beside the records, and leaves
 * dropping them to the client, as the Java consumer does until each one's
 * abort marker. (Kafka 4.2 omitted them in our tests; a client must not
 * count on that.)
 */
import {
  type Consumer,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  type KafkaRecord,
  type RecordsBatch,
} from '@platformatic/kafka';
import type { TopicRecord } from './read-topic.js';

/** Offsets below this are exact as numbers: a batch of them is read without a bigint per record. */
const EXACT_OFFSETS = 2n ** 53n;

export type FetchedPartition = Awaited<
  ReturnType<Consumer['fetch']>
>['responses'][number]['partitions'][number];

/** A control record's key: version (int16), then type: 0 ends a transaction aborted, 1 committed. */
function isAbortMarker(batch: RecordsBatch): boolean {
  const key = batch.records[0]?.key;
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === 0;
}

/** One partition's progress: its next offset, its end, and the aborted transactions it is inside. */
export class PartitionRead {
  readonly #abortedProducers = new Set<bigint>();
  /** Transactions the broker listed as aborted, not yet reached, by first offset. */
  #abortedAhead: Array<{ producerId: bigint; firstOffset: bigint }> = [];

  constructor(
    readonly partition: number,
    public position: bigint,
    readonly end: bigint,
  ) {}

  get done(): boolean {
    return this.position >= this.end;
  }

  take(fetched: FetchedPartition, into: TopicRecord[]): void {
    this.visit(fetched, (r, offset, batch) => {
      into.push({
        partition: this.partition,
        offset,
        key: r.key,
        value: r.value,
        timestamp: (batch.firstTimestamp + r.timestampDelta).toString(),
      });
    });
  }

  /** Calls `each` for every record of `fetched` at or past the position and before the end, in order, with its offset's text. */
  visit(
    fetched: FetchedPartition,
    each: (record: KafkaRecord, offset: string, batch: RecordsBatch) => void,
  ): void {
    this.#abortedAhead = [...this.#abortedAhead, ...fetched.abortedTransactions]
      .filter(
        (t, i, all) =>
          all.findIndex((u) => u.producerId === t.producerId && u.firstOffset === t.firstOffset) === i,
      )
      .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
    for (const batch of fetched.records ?? []) {
      const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      if (last < this.position) continue;
      while (this.#abortedAhead.length > 0 && (this.#abortedAhead[0]?.firstOffset ?? last + 1n) <= last) {
        const started = this.#abortedAhead.shift();
        if (started) this.#abortedProducers.add(started.producerId);
      }
      if (batch.attributes & IS_CONTROL) {
        if (isAbortMarker(batch)) this.#abortedProducers.delete(batch.producerId);
      } else if (!(batch.attributes & IS_TRANSACTIONAL && this.#abortedProducers.has(batch.producerId))) {
        if (last < EXACT_OFFSETS) this.visitExact(batch, last, each);
        else
          for (const r of batch.records) {
            const offset = batch.firstOffset + BigInt(r.offsetDelta);
            if (offset < this.position || offset >= this.end) continue;
            each(r, offset.toString(), batch);
          }
      }
      this.position = last + 1n;
    }
  }

  /** `visit` of one batch whose offsets are exact as numbers: a bigint per record showed in the sink's CPU profile. */
  private visitExact(
    batch: RecordsBatch,
    last: bigint,
    each: (record: KafkaRecord, offset: string, batch: RecordsBatch) => void,
  ): void {
    const first = Number(batch.firstOffset);
    const from = Number(this.position);
    const end = this.end > last ? Number.POSITIVE_INFINITY : Number(this.end);
    for (const r of batch.records) {
      const offset = first + r.offsetDelta;
      if (offset < from || offset >= end) continue;
      each(r, String(offset), batch);
    }
  }
}
