/**
 * Runs one source task: poll → transforms → converters → producer, with the
 * source offsets stored only once the broker acknowledged every record up to
 * them: after each acknowledged batch, every `offsetFlushIntervalMs` (a
 * failed write's retry) and at stop.
 *
 * No silent stops: a record the topic cannot take (larger than its
 * `max.message.bytes`) goes through the error policy before it is sent; a
 * send the broker refuses fails the task at once, even while the task waits
 * for new data; a retriable failure (broker unreachable, topic missing) is
 * retried without limit with the task in RETRYING and the reason in its
 * trace, and the task is RUNNING again once a send goes through.
 */
import type { ConnectorSpec } from '../config/model.js';
import type { SourcePartition, SourceRecord, SourceTask, TaskConfig } from '../connectors/api.js';
import { isPipeError, messageOf, PipeError } from '../errors.js';
import { present } from '../invariant.js';
import type { DataProducer, DataTopicMessages } from '../kafka/data-producer.js';
import { keyPartition } from '../kafka/key-partition.js';
import type { TopicFacts } from '../kafka/topic-facts.js';
import type { TransactionalProducer } from '../kafka/transactional-producer.js';
import { isRetriable, retry } from '../time/retry.js';
import { ErrorHandler, type Stage } from './error-policy.js';
import { TaskCounters } from './metrics.js';
import type { KafkaOffsetStore, OffsetStore } from './offset-store.js';
import { type OffsetEntry, type OffsetMap, OffsetTracker, partitionKey } from './offset-tracker.js';
import { type RecordConverters, toBuffer } from './record-converters.js';
import {
  BATCH_OVERHEAD,
  type OffsetMark,
  type OutgoingMessage,
  type PipelineLimits,
  recordBytes,
  SendPipeline,
  sizeOf,
  type TopicMessages,
} from './send-pipeline.js';
import { StickyPartitions } from './sticky-partitions.js';
import {
  defaultEvery,
  Gate,
  type RunnerBase,
  TASK_OPERATION_RETRY,
  type TaskId,
  type TaskRunner,
  traceOf,
  within,
} from './task-runner.js';
import { type Transform, transformChain } from './transforms.js';

export interface SourceRunnerOptions extends RunnerBase {
  offsetFlushIntervalMs: number;
  /** Calls `fn` every `ms` until the returned function is called (injected so flush timing is testable). */
  every?: (ms: number, fn: () => void) => () => void;
  spec: ConnectorSpec;
  task: SourceTask;
  config: TaskConfig;
  /** Sends the records, at least once; absent under `transactions`. */
  producer?: Pick<DataProducer, 'send'>;
  /** `worker.exactlyOnce`: each batch and its offsets in one transaction instead. */
  transactions?: SourceTransactions;
  /**
   * A topic's partitions (each batch of keyless records goes to one) and
   * record size limit; undefined when the topic does not exist. Throws a
   * retriable error when the cluster cannot be asked.
   */
  topicFacts?: (topic: string) => Promise<TopicFacts | undefined>;
  converters: RecordConverters;
  offsets: OffsetStore;
  limits?: PipelineLimits;
  /**
   * The Kafka offset store: the offsets of an acknowledged request travel in
   * the next request to the same broker instead of a write of their own.
   */
  carriedOffsets?: CarriedOffsets;
  /**
   * false: offsets are stored only every `offsetFlushIntervalMs`, as Kafka
   * Connect does, and requests do not wait for them (what
   * bench/scenarios/source-delivery.ts compares the default with).
   */
  offsetsEachRequest?: boolean;
}

/** What carrying offsets in the records' requests needs of the Kafka offset store. */
export type CarriedOffsets = Pick<KafkaOffsetStore, 'topic' | 'records' | 'remember'>;

/** Offsets taken to travel in a request, with the offsets topic's records for them. */
interface Carried {
  entries: OffsetEntry[];
  records: DataTopicMessages[number];
}

export interface SourceTransactions {
  producer: Pick<TransactionalProducer, 'fence' | 'send'>;
  offsets: Pick<KafkaOffsetStore, 'records' | 'remember' | 'refresh'>;
}

/**
 * After a kill -9 the records sent again are at most one request: its
 * records may be on the topic while their offsets are not stored yet, and
 * the next request waits for that write or carries it (docs/RELIABILITY.md);
 * two with the offset file, saved while the next request is in flight. 400 records
 * keeps that window at 1% (2%) of test/faults/duplicates.test.ts's 40,000-line
 * burst whatever the records' size, so bytes only keep a request under the
 * broker's default max.message.bytes (1 MB): postgres-source's rows (about
 * 800 bytes as JSON with schemas) filled a 150 KB cap at 190 records, and
 * 400 a request took it from 35k to 41k rows/s (bench, same session).
 */
const DEFAULT_SOURCE_LIMITS: PipelineLimits = { maxBatchBytes: 1_000_000, maxBatchRecords: 400 };

/** How long a topic's partitions and size limit are trusted before they are read again. */
const FACTS_REFRESH_MS = 60_000;

/** Retriable send failures: retried without limit, pauses doubling from 0.5 s to 10 s. */
const SEND_RETRY = { retries: Number.POSITIVE_INFINITY, initialMs: 500, maxMs: 10_000 } as const;

const bytes = (n: number) => n.toLocaleString('en-US');

/** What a poll's records of each topic share: the topic's record size limit and the partition picked for them. */
interface PollTopics {
  topics: Map<string, { maxBytes: number | undefined; partition: number | undefined; keyed: boolean }>;
}

/** A topic's messages in a part, and their sizes added up (sizeOf), so the pipeline need not measure them again. */
interface TopicPart {
  messages: OutgoingMessage[];
  bytes: number;
}

/** One request's worth of a poll's records, with the offsets they reach. */
interface Part {
  byTopic: Map<string, TopicPart>;
  marks: OffsetMark[];
  offsets: OffsetMap;
  records: number;
  bytes: number;
}

const newPart = (): Part => ({ byTopic: new Map(), marks: [], offsets: new Map(), records: 0, bytes: 0 });

/** Lets I/O callbacks (a request's acknowledgement) run before more CPU work. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SourceTaskRunner implements TaskRunner {
  readonly id: TaskId;
  readonly counters = new TaskCounters();
  private readonly tracker = new OffsetTracker();
  private readonly pipeline: SendPipeline;
  private readonly errors: ErrorHandler;
  private readonly abort = new AbortController();
  private readonly resumed = new Gate();
  private paused = false;
  private started = false;
  private stopping = false;
  private flushing: Promise<void> | undefined;
  private finished: Promise<void> | undefined;
  private lastPartition: SourcePartition | undefined;
  private lastPartitionKey = '';
  private transform: Transform<SourceRecord> | undefined;
  private readonly sticky: StickyPartitions;
  private readonly facts = new Map<string, { facts: TopicFacts; at: number }>();
  /** The message of the retriable failure being waited out, while RETRYING. */
  private retryingOn: string | undefined;
  private failure: unknown;
  private offsetsFailing = false;
  /** Offsets of acknowledged requests go in the next request rather than a write of their own. */
  private readonly carries: boolean;
  /** A poll's records are being converted, and another request of them is coming. */
  private converting = false;

  constructor(private readonly options: SourceRunnerOptions) {
    this.id = options.id;
    this.sticky = new StickyPartitions(async (topic) => (await this.factsOf(topic))?.partitions);
    this.errors = new ErrorHandler(options.spec.errors, options.id.connector, options.id.task);
    this.carries =
      options.carriedOffsets !== undefined &&
      options.transactions === undefined &&
      options.offsetsEachRequest !== false;
    this.pipeline = new SendPipeline(
      (topicMessages, offsets) => this.produce(topicMessages, offsets),
      this.tracker,
      options.limits ?? DEFAULT_SOURCE_LIMITS,
      (n, more) => {
        this.counters.recordsOut += n;
        if (options.offsetsEachRequest === false) return undefined;
        // A poll's next request still being made counts as records waiting.
        if (!more && !this.converting) return this.flushOffsets();
        // With records waiting, the next request takes the offsets along: one round trip instead of two.
        if (this.carries) return undefined;
        return this.flushOffsets();
      },
      // Wakes a task waiting in poll() for new data: the loop then fails with the send's error.
      () => this.abort.abort(),
    );
  }

  /** What made the task fail, for the herder to tell a retriable cause from a lasting one. */
  get lastFailure(): unknown {
    return this.failure;
  }

  /** Records handed to the producer and not yet acknowledged: what a crash now could duplicate. */
  get unacknowledged(): number {
    return this.tracker.unacknowledged;
  }

  run(): Promise<void> {
    this.finished ??= this.loop();
    return this.finished;
  }

  pause(): void {
    if (this.paused || this.stopping) return;
    this.paused = true;
    if (this.started) this.options.onState('PAUSED', null);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumed.open();
    if (this.started && !this.stopping) this.options.onState('RUNNING', null);
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.resumed.open();
    if (this.finished) await within(this.finished, timeoutMs);
  }

  private async loop(): Promise<void> {
    const { task, log } = this.options;
    const cancelFlush = (this.options.every ?? defaultEvery)(this.options.offsetFlushIntervalMs, () => {
      // a failed periodic flush was logged and its offsets kept for the next one
      this.flushOffsets().catch(() => undefined);
    });
    try {
      this.transform = transformChain<SourceRecord>(this.options.spec.transforms, this.options.id.connector);
      if (this.options.transactions) await this.takeOver(this.options.transactions);
      const { retries } = this.options.spec.errors;
      // A task that cannot start yet (its database unreachable) is given the retries of any failed operation.
      await retry(
        () =>
          task.start(this.options.config, {
            connector: this.id.connector,
            task: this.id.task,
            baseDir: this.options.baseDir,
            log,
            signal: this.abort.signal,
            offset: async (partition) => this.options.offsets.get(this.id.connector, partition),
          }),
        {
          ...TASK_OPERATION_RETRY,
          retries,
          onRetry: (err, n) => log.warn(`start failed (${messageOf(err)}); retry ${n} of ${retries}`),
        },
      );
      this.started = true;
      if (!this.stopping) this.options.onState(this.paused ? 'PAUSED' : 'RUNNING', null);
      while (!this.stopping) {
        if (this.paused) {
          await this.resumed.wait();
          continue;
        }
        const records = await retry(() => task.poll(), {
          ...TASK_OPERATION_RETRY,
          retries: this.options.spec.errors.retries,
          signal: this.abort.signal,
          onRetry: (err, n) =>
            log.warn(`poll failed (${messageOf(err)}); retry ${n} of ${this.options.spec.errors.retries}`),
        });
        this.pipeline.throwIfFailed();
        if (records.length > 0) await this.send(records);
      }
      await this.pipeline.drain();
      await this.flushOffsets();
      this.options.onState('UNASSIGNED', null);
    } catch (err) {
      this.failure = err;
      this.counters.lastError = messageOf(err);
      this.options.onState('FAILED', traceOf(err));
      // What the broker did acknowledge before the failure is still safe to store.
      await this.flushOffsets().catch(() => undefined);
    } finally {
      cancelFlush();
      await task.stop().catch((err: unknown) => log.warn(`stopping the task failed: ${messageOf(err)}`));
    }
  }

  /**
   * Converts a poll's records a request's worth at a time, handing each
   * request to the pipeline as soon as it is made and letting the event loop
   * read the acknowledgement of the request in flight before converting the
   * next: the next request is then sent while this one is converted, instead
   * of after the whole poll (postgres-source's 10,000 rows a poll held the
   * acknowledgement for the time 25 requests take to convert, docs/CONNECTORS.md).
   * Request boundaries are those the pipeline would make of the whole poll,
   * and each part stores the offsets its records reach, as a smaller poll would.
   */
  private async send(records: SourceRecord[]): Promise<void> {
    this.counters.recordsIn += records.length;
    this.counters.batch(records.length);
    const poll: PollTopics = { topics: new Map() };
    let part = newPart();
    let last: SourceRecord | undefined;
    this.converting = true;
    try {
      for (const polled of records) {
        const record = this.transformed(polled);
        // A topic's facts are asked once a poll: an await for each record cost more than the checks.
        if (record && !poll.topics.has(record.topic)) await this.learn(record.topic, poll);
        const made = record && this.outgoing(record, poll);
        if (made) {
          const size = sizeOf(made.message);
          if (part.records > 0 && !this.pipeline.fits(part.records + 1, part.bytes + size)) {
            if (last) this.keepOffset(part.offsets, last);
            await this.addPart(part);
            await yieldToEvents();
            part = newPart();
          }
          const topicPart = part.byTopic.get(made.topic);
          if (topicPart) {
            topicPart.messages.push(made.message);
            topicPart.bytes += size;
          } else part.byTopic.set(made.topic, { messages: [made.message], bytes: size });
          part.marks.push({
            key: this.keyOf(polled.sourcePartition),
            entry: { partition: polled.sourcePartition, offset: polled.sourceOffset },
          });
          part.records++;
          part.bytes += size;
        }
        // Only the last offset of each source partition in a part is kept.
        if (last && last.sourcePartition !== polled.sourcePartition) this.keepOffset(part.offsets, last);
        last = polled;
      }
    } finally {
      this.converting = false;
    }
    if (last) this.keepOffset(part.offsets, last);
    await this.addPart(part);
  }

  /** The record after the transforms; null when they dropped it or failed (an error tolerated). */
  private transformed(polled: SourceRecord): SourceRecord | null {
    if (!this.transform) return polled;
    try {
      return this.transform(polled);
    } catch (err) {
      this.skip('TRANSFORMATION', err);
      return null;
    }
  }

  /** The message to send and its topic; null when it was skipped (an error tolerated). */
  private outgoing(
    record: SourceRecord,
    poll: PollTopics,
  ): { topic: string; message: OutgoingMessage } | null {
    const { key: keyConverter, value: valueConverter } = this.options.converters;
    let key: Buffer | null;
    let value: Buffer | null;
    try {
      key =
        record.key === null && record.keySchema === null
          ? null
          : toBuffer(keyConverter.fromConnectData(record.topic, record.keySchema, record.key));
    } catch (err) {
      this.skip('KEY_CONVERTER', err);
      return null;
    }
    try {
      value = toBuffer(valueConverter.fromConnectData(record.topic, record.valueSchema, record.value));
    } catch (err) {
      this.skip('VALUE_CONVERTER', err);
      return null;
    }
    const message: OutgoingMessage = { key, value };
    if (record.headers && record.headers.length > 0) {
      try {
        message.headers = this.headersOf(record);
      } catch (err) {
        this.skip('HEADER_CONVERTER', err);
        return null;
      }
    }
    if (record.timestamp !== undefined) message.timestamp = String(record.timestamp);
    const topic = poll.topics.get(record.topic);
    const tooLarge = this.tooLarge(record, message, topic?.maxBytes);
    if (tooLarge) {
      this.skip('KAFKA_PRODUCE', tooLarge);
      return null;
    }
    if (topic?.partition !== undefined && (topic.keyed || message.key === null))
      message.partition = topic.partition;
    return { topic: record.topic, message };
  }

  private async addPart(part: Part): Promise<void> {
    const topics = [...part.byTopic];
    if (topics.length === 0) {
      await this.pipeline.add('', [], part.offsets);
      return;
    }
    if (topics.length === 1 && topics[0]) {
      // One topic keeps the source's order, so each request can store the offsets of its own records.
      const [topic, { messages, bytes }] = topics[0];
      await this.pipeline.add(topic, messages, part.offsets, { marks: part.marks, bytes });
      return;
    }
    // Records of several topics are grouped by topic: only the part's last request may carry its offsets.
    for (const [i, [topic, { messages, bytes }]] of topics.entries())
      await this.pipeline.add(topic, messages, i === topics.length - 1 ? part.offsets : new Map(), { bytes });
  }

  /** A topic's record size limit, and the partition of the poll's records of it: keyless ones go to one a poll (sticky). */
  private async learn(topic: string, poll: PollTopics): Promise<void> {
    const maxBytes = (await this.factsOf(topic).catch(() => undefined))?.maxMessageBytes;
    const partition = await this.sticky.forBatch(topic);
    // Every key hashes to a topic's only partition: naming it spares the producer a murmur2 of each key (~7 µs).
    const keyed = partition === 0 && (await this.factsOf(topic).catch(() => undefined))?.partitions === 1;
    poll.topics.set(topic, { maxBytes, partition, keyed });
  }

  /**
   * A record the topic cannot take, found before it is sent: the broker
   * would refuse the whole request it travels in, and retrying cannot help.
   * Measured as a batch of its own, which is how the pipeline sends a record
   * too large to share one (sizeOf counts its share of a larger batch).
   */
  private tooLarge(record: SourceRecord, m: OutgoingMessage, max: number | undefined): PipeError | undefined {
    if (max === undefined) return undefined;
    const size = BATCH_OVERHEAD + recordBytes(m);
    if (size <= max) return undefined;
    return new PipeError(
      'RECORD_TOO_LARGE',
      `record of ${bytes(size)} bytes exceeds the topic's max.message.bytes ${bytes(max)} (topic ${record.topic}, source offset ${JSON.stringify(record.sourceOffset)})`,
      {
        meta: {
          resource: `topic.${record.topic}`,
          hint: "raise the topic's max.message.bytes, or set errors.tolerance: all to skip such records",
        },
      },
    );
  }

  /** A topic's facts, read again after a minute; undefined when it does not exist. */
  private async factsOf(topic: string): Promise<TopicFacts | undefined> {
    const read = this.options.topicFacts;
    if (!read) return undefined;
    const known = this.facts.get(topic);
    if (known && Date.now() - known.at < FACTS_REFRESH_MS) return known.facts;
    const facts = await read(topic);
    if (!facts) {
      this.facts.delete(topic);
      return undefined;
    }
    this.facts.set(topic, { facts, at: Date.now() });
    if (facts.maxMessageBytes !== undefined)
      this.pipeline.limitBatchBytes(facts.maxMessageBytes - BATCH_OVERHEAD);
    return facts;
  }

  /**
   * Fences the producer of a worker that ran this task before (its open
   * transaction is aborted), then reads what it committed: the task starts
   * from the offsets of the last committed transaction.
   */
  private async takeOver(transactions: SourceTransactions): Promise<void> {
    await retry(
      async () => {
        await transactions.producer.fence();
        await transactions.offsets.refresh(this.id.connector, { stable: true });
      },
      { ...SEND_RETRY, signal: this.abort.signal, onRetry: (err) => this.retrying(err) },
    );
    this.recovered();
  }

  /**
   * Sends one request, waiting out retriable failures in the RETRYING state.
   * In a transaction, a failure fails the task instead (retriable ones are
   * restarted by the herder): whether a commit that failed took effect is
   * known only by reading the offsets again, which the restart does.
   */
  private async produce(batch: TopicMessages, offsets: OffsetMap): Promise<void> {
    const { transactions } = this.options;
    if (transactions) {
      await retry(
        async () => {
          for (const { topic } of batch) await this.requireTopic(topic);
        },
        { ...SEND_RETRY, signal: this.abort.signal, onRetry: (err) => this.retrying(err) },
      );
      const entries = [...offsets.values()];
      const records = entries.length > 0 ? [transactions.offsets.records(this.id.connector, entries)] : [];
      await transactions.producer.send([...batch, ...records]);
      this.recovered();
      return;
    }
    if (batch.length === 0) return;
    const producer = present(this.options.producer, "the source task's producer");
    const carried = await this.carry(batch);
    const startedAt = performance.now();
    const sendWithRetries = (topicMessages: TopicMessages) =>
      retry(
        async () => {
          for (const { topic } of topicMessages) await this.requireTopic(topic);
          await producer.send(topicMessages);
        },
        { ...SEND_RETRY, signal: this.abort.signal, onRetry: (err) => this.retrying(err) },
      );
    try {
      await sendWithRetries(carried ? [...batch, carried.records] : batch);
      if (carried) {
        present(this.options.carriedOffsets, 'the offset store').remember(this.id.connector, carried.entries);
        this.offsetsStored(performance.now() - startedAt);
      }
    } catch (err) {
      // Whether they reached the broker is unknown: they are stored again, by the next request or a flush.
      if (carried) this.tracker.restore(carried.entries);
      if (!this.skipsRefusal(err)) throw err;
      // The broker refused the request for some record in it: one at a time, only those it refuses are skipped.
      for (const { topic, messages } of batch) {
        for (const message of messages) {
          try {
            await sendWithRetries([{ topic, messages: [message] }]);
          } catch (refused) {
            if (!this.skipsRefusal(refused)) throw refused;
            this.skip('KAFKA_PRODUCE', refused);
          }
        }
      }
    }
    for (const { topic } of batch) this.counters.topics.add(topic);
    this.recovered();
  }

  /**
   * The offsets of the requests acknowledged so far, to travel in this one.
   * The broker appends every partition of a produce request it received,
   * whether or not the client is still there (ReplicaManager.appendToLocalLog),
   * so after a kill -9 either this request's records and those offsets are
   * both written or neither is: the previous request's records are the only
   * ones on the topic without their offsets, as when the next request waited
   * for a write of their own. The producer sends one request per leader, so
   * that holds only when the offsets' partitions have the records' leader;
   * otherwise (or with a flush under way, which must land first) the offsets
   * get that write of their own before this request goes.
   */
  private async carry(batch: TopicMessages): Promise<Carried | undefined> {
    const store = this.options.carriedOffsets;
    if (!store || !this.carries) return undefined;
    if (this.flushing === undefined) {
      const entries = this.tracker.take();
      if (entries.length === 0) return undefined;
      const records = await this.offsetRecords(store, entries, batch);
      if (records) return { entries, records };
      this.tracker.restore(entries);
    }
    // A failed write was logged and its offsets kept; the request goes either way, as after onAcknowledged's.
    await this.flushOffsets().catch(() => undefined);
    return undefined;
  }

  /** The offsets topic's records for `entries`, if they have the same leader as every record of `batch`. */
  private async offsetRecords(
    store: CarriedOffsets,
    entries: OffsetEntry[],
    batch: TopicMessages,
  ): Promise<DataTopicMessages[number] | undefined> {
    const offsetsFacts = await this.factsOf(store.topic).catch(() => undefined);
    if (!offsetsFacts?.leaders) return undefined;
    const { partitions, leaders } = offsetsFacts;
    const { topic, messages } = store.records(this.id.connector, entries);
    const placed = messages.map((m) => ({ ...m, partition: keyPartition(m.key, partitions) }));
    const leader = leaders[placed[0]?.partition ?? -1];
    if (leader === undefined || placed.some((m) => leaders[m.partition] !== leader)) return undefined;
    for (const { topic: dataTopic, messages: data } of batch) {
      const dataLeaders = (await this.factsOf(dataTopic).catch(() => undefined))?.leaders;
      if (!dataLeaders) return undefined;
      let last: number | undefined;
      for (const m of data) {
        // Keyed records of a topic of several partitions are placed by the producer: their leader is not known here.
        if (m.partition === undefined) return undefined;
        if (m.partition === last) continue;
        last = m.partition;
        if (dataLeaders[m.partition] !== leader) return undefined;
      }
    }
    return { topic, messages: placed };
  }

  /**
   * A send the broker refused for good (a record over a limit lowered since
   * it was read, a policy violation) is a record error under `errors.tolerance:
   * all`, skipped and counted as Kafka Connect does (KIP-779), not a task
   * failure; an outage or a stop is not.
   */
  private skipsRefusal(err: unknown): boolean {
    return (
      this.options.spec.errors.tolerance === 'all' &&
      !this.stopping &&
      !isRetriable(err) &&
      isPipeError(err) &&
      err.code === 'KAFKA_REQUEST'
    );
  }

  private async requireTopic(topic: string): Promise<void> {
    if (!this.options.topicFacts || (await this.factsOf(topic))) return;
    throw new PipeError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on the cluster`, {
      retriable: true,
      meta: {
        resource: `topic.${topic}`,
        hint: 'declare the topic and apply, or point the source at an existing one: the task sends as soon as it exists',
      },
    });
  }

  /** One state change per cause, not one line per retry. */
  private retrying(err: unknown): void {
    const message = messageOf(err);
    this.counters.lastError = message;
    if (this.stopping || this.retryingOn === message) return;
    this.retryingOn = message;
    this.options.onState('RETRYING', traceOf(err));
  }

  private recovered(): void {
    if (this.retryingOn === undefined) return;
    this.retryingOn = undefined;
    if (!this.stopping) this.options.onState(this.paused ? 'PAUSED' : 'RUNNING', null);
  }

  private headersOf(record: SourceRecord): Record<string, Buffer[]> {
    const headers: Record<string, Buffer[]> = {};
    for (const h of record.headers ?? []) {
      const bytes = toBuffer(this.options.converters.header.fromConnectData(record.topic, h.schema, h.value));
      if (bytes === null) continue;
      const values = headers[h.key];
      if (values) values.push(bytes);
      else headers[h.key] = [bytes];
    }
    return headers;
  }

  private skip(stage: Stage, err: unknown): void {
    try {
      this.errors.tolerate(stage, err);
    } finally {
      this.counters.recordErrors = this.errors.errors;
      this.counters.recordsFailed = this.errors.failed;
      this.counters.lastError = this.errors.lastError;
    }
  }

  private keepOffset(offsets: OffsetMap, record: SourceRecord): void {
    offsets.set(this.keyOf(record.sourcePartition), {
      partition: record.sourcePartition,
      offset: record.sourceOffset,
    });
  }

  /** Tasks reuse one partition object for their records: its key is computed once. */
  private keyOf(partition: SourcePartition): string {
    if (partition !== this.lastPartition) {
      this.lastPartition = partition;
      this.lastPartitionKey = partitionKey(partition);
    }
    return this.lastPartitionKey;
  }

  /**
   * Stores the offsets that became safe: after every acknowledged batch
   * (the pipeline sends the next one when this settles, so a crash re-sends
   * at most one batch, docs/RELIABILITY.md), every `offsetFlushIntervalMs`
   * (the retry after a failed write) and at stop.
   */
  private flushOffsets(): Promise<void> {
    const { transactions } = this.options;
    if (transactions) {
      // Committed with their records: only the memory the task starts from is left to update.
      transactions.offsets.remember(this.id.connector, this.tracker.take());
      return Promise.resolve();
    }
    // A flush under way (even one about to fail, whose offsets come back) is followed by this one.
    if (this.flushing) return this.flushing.catch(() => undefined).then(() => this.flushOffsets());
    const entries = this.tracker.take();
    if (entries.length === 0) return Promise.resolve();
    const startedAt = performance.now();
    this.flushing = this.options.offsets
      .put(this.id.connector, entries)
      .then(() => this.offsetsStored(performance.now() - startedAt))
      .catch((err: unknown) => {
        this.counters.offsetCommit(false, 0);
        this.tracker.restore(entries);
        if (!this.offsetsFailing) {
          this.offsetsFailing = true;
          this.options.log.warn(
            `storing offsets failed, will retry (said once until it works again): ${messageOf(err)}`,
          );
        }
        throw err;
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private offsetsStored(ms: number): void {
    this.counters.offsetCommit(true, ms);
    if (!this.offsetsFailing) return;
    this.offsetsFailing = false;
    this.options.log.info('storing offsets works again');
  }
}
