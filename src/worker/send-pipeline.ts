/**
 * Keeps the producer busy: converted records accumulate while earlier
 * batches are in flight, and go out as one request as soon as a slot frees.
 * Under load this sends large batches (a kafkajs idempotent producer sends
 * one request per broker at a time, so batch size is where throughput
 * comes from); when idle, a record goes out at once. Each batch carries the
 * source offsets of its records to the OffsetTracker, which releases them
 * for storing only in acknowledgement order.
 */
import type { OffsetMap, OffsetTracker } from './offset-tracker.js';

export interface OutgoingMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp?: string;
}

export type TopicMessages = Array<{ topic: string; messages: OutgoingMessage[] }>;

export interface PipelineLimits {
  /** Batches sent and not yet acknowledged. */
  maxInFlight: number;
  /** Records accumulated before `add` waits for a slot (back-pressure on the task's poll loop). */
  maxBatchRecords: number;
}

export class SendPipeline {
  private batch = new Map<string, OutgoingMessage[]>();
  private batchOffsets: OffsetMap = new Map();
  private batchRecords = 0;
  private inFlight = 0;
  private failure: unknown;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly send: (batch: TopicMessages) => Promise<unknown>,
    private readonly tracker: OffsetTracker,
    private readonly limits: PipelineLimits,
    private readonly onAcknowledged: (records: number) => void,
  ) {}

  /** The first send that failed after the producer's own retries; nothing is sent after it. */
  get error(): unknown {
    return this.failure;
  }

  /**
   * Queues records (and the source offsets they reach; records that were
   * skipped still move the offsets on). Resolves when there is room for more.
   */
  async add(topic: string, messages: OutgoingMessage[], offsets: OffsetMap): Promise<void> {
    this.throwIfFailed();
    if (messages.length > 0) {
      const list = this.batch.get(topic);
      if (list) for (const m of messages) list.push(m);
      else this.batch.set(topic, messages);
    }
    for (const [key, entry] of offsets) this.batchOffsets.set(key, entry);
    this.batchRecords += messages.length;
    this.pump();
    while (this.batchRecords >= this.limits.maxBatchRecords && this.inFlight >= this.limits.maxInFlight) {
      await this.changed();
      this.throwIfFailed();
    }
  }

  /** Resolves when everything added was acknowledged; rejects with the first failure. */
  async drain(): Promise<void> {
    this.pump();
    while (this.inFlight > 0 || this.batchRecords > 0 || this.batchOffsets.size > 0) {
      this.throwIfFailed();
      await this.changed();
      this.pump();
    }
    this.throwIfFailed();
  }

  private pump(): void {
    while (
      this.failure === undefined &&
      this.inFlight < this.limits.maxInFlight &&
      (this.batchRecords > 0 || this.batchOffsets.size > 0)
    ) {
      const topicMessages = [...this.batch].map(([topic, messages]) => ({ topic, messages }));
      const records = this.batchRecords;
      const submission = this.tracker.submit(this.batchOffsets, records);
      this.batch = new Map();
      this.batchOffsets = new Map();
      this.batchRecords = 0;
      this.inFlight++;
      const sent = records > 0 ? this.send(topicMessages) : Promise.resolve();
      sent
        .then(
          () => {
            this.tracker.ack(submission);
            this.onAcknowledged(records);
          },
          (err: unknown) => {
            this.failure ??= err;
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          this.notify();
        });
    }
  }

  private throwIfFailed(): void {
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
