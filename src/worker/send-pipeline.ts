/**
 * Keeps the producer busy: converted records queue up while the previous
 * batch is in flight and go out together as soon as it is acknowledged and
 * what `onAcknowledged` does with its source offsets (store them, or leave
 * them to the next request to carry) is done, up to a request size the broker accepts
 * and a record count that bounds the duplicates after a crash. Under load
 * this sends large batches; when idle, a record goes out at once. One send at a time is what
 * keeps records in order: the idempotent producer (src/kafka/data-producer.ts)
 * numbers a request's records from the sequence the broker last
 * acknowledged, so two sends in flight would reuse numbers, and with kafkajs
 * they landed in either order (seen as `aaa, ccc, bbb` in a one-partition
 * topic). Polling and converting the next
 * batch still overlap the wait for the broker. Each batch carries the source
 * offsets of its records to the OffsetTracker, which releases them for
 * storing only in acknowledgement order.
 */
import type { OffsetEntry, OffsetMap, OffsetTracker } from './offset-tracker.js';

export interface OutgoingMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer[]>;
  partition?: number;
  timestamp?: string;
}

export type TopicMessages = Array<{ topic: string; messages: OutgoingMessage[] }>;

export interface PipelineLimits {
  /**
   * Bytes of records in one request, as sizeOf counts them (batch headers
   * aside). The producer writes a partition's records as one record batch,
   * which the broker refuses above `message.max.bytes` (1 MiB by default).
   */
  maxBatchBytes: number;
  /**
   * Records in one request. The next request waits until the previous one's
   * offsets are stored, or carries them itself, so after a crash at most this
   * many records are sent again (docs/RELIABILITY.md).
   */
  maxBatchRecords: number;
}

/** The source position a record reaches, for offsets finer than a whole poll. */
export interface OffsetMark {
  key: string;
  entry: OffsetEntry;
}

/** What a caller of `SendPipeline.add` may know of its messages already. */
export interface AddOptions {
  /**
   * The position each message reaches, in the order of the source: a poll
   * split over several requests then stores the offsets of each part as it
   * is acknowledged instead of waiting for the last.
   */
  marks?: readonly OffsetMark[];
  /**
   * The messages' sizes (sizeOf) added up, by a caller that cut them to a
   * request already: spares measuring each again. Ignored (the messages are
   * measured and cut) when they are over the limits, which may have been
   * lowered since.
   */
  bytes?: number;
}

/**
 * A v2 record batch's header (offset, length, epoch, magic, crc, attributes,
 * deltas, timestamps, producer, sequence, count). The broker compares
 * `max.message.bytes` with the whole batch, this header included.
 */
export const BATCH_OVERHEAD = 61;

/**
 * What a record may take beyond `recordBytes` when it is not the first of its
 * batch: its offset delta (a varint, up to 5 bytes) and timestamp delta (a
 * varlong, up to 10; source timestamps can be far apart) over the byte each
 * that a first record's zero deltas take, and the byte that growth can add
 * to the record's length prefix.
 */
const LATER_RECORD_DELTAS = 4 + 9 + 1;

interface Chunk {
  topic: string;
  messages: OutgoingMessage[];
  offsets: OffsetMap;
  bytes: number;
}

/** Bytes of a zigzag varint (a v2 record's lengths and deltas). */
function varintBytes(n: number): number {
  const z = n < 0 ? -2 * n - 1 : 2 * n;
  return z < 2 ** 7 ? 1 : z < 2 ** 14 ? 2 : z < 2 ** 21 ? 3 : z < 2 ** 28 ? 4 : 5;
}

/** A length-prefixed field of a v2 record; null is length -1. */
const fieldBytes = (b: Buffer | null): number => (b === null ? 1 : varintBytes(b.length) + b.length);

/**
 * A message's bytes as the first record of an uncompressed v2 record batch
 * (the producer compresses nothing): exact, so a batch of it alone is
 * `BATCH_OVERHEAD + recordBytes(m)`, what the broker compares with a topic's
 * `max.message.bytes`.
 */
export function recordBytes(m: OutgoingMessage): number {
  // attributes, timestamp delta 0, offset delta 0
  let body = 3 + fieldBytes(m.key) + fieldBytes(m.value);
  let headers = 0;
  if (m.headers)
    for (const [k, vs] of Object.entries(m.headers)) {
      const name = Buffer.byteLength(k);
      for (const v of vs) {
        body += varintBytes(name) + name + fieldBytes(v);
        headers++;
      }
    }
  body += varintBytes(headers);
  return varintBytes(body) + body;
}

/**
 * A message's share of a request's bytes, as the pipeline counts it against
 * `maxBatchBytes`: `recordBytes` wherever the record lands in its batch, so
 * shares within `max.message.bytes - BATCH_OVERHEAD` make a batch the broker takes.
 */
export function sizeOf(m: OutgoingMessage): number {
  return recordBytes(m) + LATER_RECORD_DELTAS;
}

export class SendPipeline {
  private queue: Chunk[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private failure: unknown;
  private waiters: Array<() => void> = [];
  private maxBatchBytes: number;
  private readonly maxBatchRecords: number;

  constructor(
    /** Sends a batch with the source offsets it reaches (with no records when they were all skipped). */
    private readonly send: (batch: TopicMessages, offsets: OffsetMap) => Promise<unknown>,
    private readonly tracker: OffsetTracker,
    limits: PipelineLimits,
    /**
     * Called with each acknowledged batch, and whether more records wait to
     * be sent; the next batch is sent once what it returns settles.
     */
    private readonly onAcknowledged: (records: number, more: boolean) => Promise<void> | void,
    /**
     * Called at the first failure, as it happens: a task waiting in `poll()`
     * for new data must fail now, not at its next `add()`.
     */
    private readonly onFailure: (err: unknown) => void = () => {},
  ) {
    this.maxBatchBytes = limits.maxBatchBytes;
    this.maxBatchRecords = Math.max(1, limits.maxBatchRecords);
  }

  /** Lowers the request size, for a topic whose `max.message.bytes` is below it. */
  limitBatchBytes(bytes: number): void {
    this.maxBatchBytes = Math.max(1, Math.min(this.maxBatchBytes, bytes));
  }

  /** Whether a request of this many records and bytes is within the limits (one the pipeline sends whole). */
  fits(records: number, bytes: number): boolean {
    return records <= this.maxBatchRecords && bytes <= this.maxBatchBytes;
  }

  /**
   * Queues records (and the source offsets they reach; records that were
   * skipped still move the offsets on). Resolves when there is room for more.
   */
  async add(
    topic: string,
    messages: OutgoingMessage[],
    offsets: OffsetMap,
    { marks, bytes }: AddOptions = {},
  ): Promise<void> {
    this.throwIfFailed();
    // Cut only what is over the limits (they may have been lowered since the caller cut it).
    if (bytes !== undefined && this.fits(messages.length, bytes))
      this.enqueue({ topic, messages, offsets, bytes });
    else this.enqueueCut(topic, messages, offsets, marks);
    this.pump();
    while (this.queuedBytes >= 2 * this.maxBatchBytes) {
      await this.changed();
      this.throwIfFailed();
    }
  }

  /** Resolves when everything added was acknowledged; rejects with the first failure. */
  async drain(): Promise<void> {
    this.pump();
    while (this.inFlight > 0 || this.queue.length > 0) {
      this.throwIfFailed();
      await this.changed();
      this.pump();
    }
    this.throwIfFailed();
  }

  /** Queues messages in request-sized chunks, each but the last with the offsets its marks reach. */
  private enqueueCut(
    topic: string,
    messages: OutgoingMessage[],
    offsets: OffsetMap,
    marks: readonly OffsetMark[] | undefined,
  ): void {
    let chunk: Chunk = { topic, messages: [], offsets: new Map(), bytes: 0 };
    for (const [i, m] of messages.entries()) {
      const size = sizeOf(m);
      if (
        chunk.messages.length > 0 &&
        (chunk.bytes + size > this.maxBatchBytes || chunk.messages.length >= this.maxBatchRecords)
      ) {
        this.enqueue(chunk);
        chunk = { topic, messages: [], offsets: new Map(), bytes: 0 };
      }
      chunk.messages.push(m);
      chunk.bytes += size;
      const mark = marks?.[i];
      if (mark) chunk.offsets.set(mark.key, mark.entry);
    }
    chunk.offsets = offsets;
    this.enqueue(chunk);
  }

  private enqueue(chunk: Chunk): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.bytes;
  }

  private pump(): void {
    while (this.failure === undefined && this.inFlight === 0 && this.queue.length > 0) {
      const byTopic = new Map<string, OutgoingMessage[]>();
      const offsets: OffsetMap = new Map();
      let bytes = 0;
      let records = 0;
      for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
        if (
          records > 0 &&
          (bytes + next.bytes > this.maxBatchBytes || records + next.messages.length > this.maxBatchRecords)
        )
          break;
        this.queue.shift();
        this.queuedBytes -= next.bytes;
        bytes += next.bytes;
        records += next.messages.length;
        if (next.messages.length > 0) {
          const list = byTopic.get(next.topic);
          if (list) for (const m of next.messages) list.push(m);
          else byTopic.set(next.topic, [...next.messages]);
        }
        for (const [key, entry] of next.offsets) offsets.set(key, entry);
      }
      const submission = this.tracker.submit(offsets, records);
      this.inFlight++;
      const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      const sent = records > 0 || offsets.size > 0 ? this.send(topicMessages, offsets) : Promise.resolve();
      sent
        .then(
          () => {
            this.tracker.ack(submission);
            // Storing offsets reports its own failures; the next batch waits for it either way.
            const more = this.queue.length > 0;
            return Promise.resolve(this.onAcknowledged(records, more)).catch(() => undefined);
          },
          (err: unknown) => {
            if (this.failure !== undefined) return;
            this.failure = err;
            this.onFailure(err);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          this.notify();
        });
    }
  }

  /** Throws the first failure, if a send failed. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
