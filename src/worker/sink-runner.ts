/**
 * Runs one sink task: a member of consumer group `connect-<connector>`
 * (Kafka Connect's naming, so a sink moves between pipe and Connect without
 * re-reading), batches → converters → `put()` → `flush()` → commit. A batch's
 * consumer offsets are committed only after the task flushed it and its dead
 * letters were written, so a crash re-delivers rather than loses.
 */
import type { ConnectorSpec } from '../config/model.js';
import type { SinkRecord, SinkTask, TaskConfig } from '../connectors/api.js';
import { messageOf, PipeError } from '../errors.js';
import { type Consumer, isRetriableKafkaError, type Kafka, type Producer } from '../kafka/client.js';
import { isRetriable, retry } from '../time/retry.js';
import { ErrorHandler, type OriginalRecord, type Stage } from './error-policy.js';
import { TaskCounters } from './metrics.js';
import type { RecordConverters } from './record-converters.js';
import {
  Gate,
  type RunnerBase,
  TASK_OPERATION_RETRY,
  type TaskId,
  type TaskRunner,
  traceOf,
  within,
} from './task-runner.js';
import { type Transform, transformChain } from './transforms.js';

export interface SinkRunnerOptions extends RunnerBase {
  spec: ConnectorSpec;
  task: SinkTask;
  config: TaskConfig;
  kafka: Kafka;
  converters: RecordConverters;
  /** Writes dead letters; shared by the worker's tasks. */
  producer: Producer;
}

interface KafkaMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

const NULL_DATA = { schema: null, value: null };

/**
 * How often a sink's consumer reads the topics' metadata again: partitions
 * added by `pipe apply` join the group's assignment at the next read (kafkajs
 * rejoins when a subscribed topic's partitions change). kafkajs's default, 5
 * minutes, left new partitions unread that long.
 */
const SINK_METADATA_MAX_AGE_MS = 5000;

/** Commit errors that mean the partition moved to another member, not that anything broke. */
const GROUP_MOVED = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

export function sinkGroupId(connector: string): string {
  return `connect-${connector}`;
}

export class SinkTaskRunner implements TaskRunner {
  readonly id: TaskId;
  readonly counters = new TaskCounters();
  private readonly errors: ErrorHandler;
  private readonly stopped = new Gate();
  private consumer: Consumer | undefined;
  private paused = false;
  private started = false;
  private stopping = false;
  private failed = false;
  private finished: Promise<void> | undefined;
  private assigned = new Set<string>();
  private transform: Transform<SinkRecord> | undefined;
  private failure: unknown;
  /** The consumer is waiting out a retriable failure (kafkajs restarts it by itself). */
  private retrying = false;
  /** The batch being delivered: what a record the task reports was on the wire. */
  private delivering = new DeliveringBatch('', -1, []);

  constructor(private readonly options: SinkRunnerOptions) {
    this.id = options.id;
    this.errors = new ErrorHandler(options.spec.errors, options.id.connector, options.id.task);
  }

  get lastFailure(): unknown {
    return this.failure;
  }

  run(): Promise<void> {
    this.finished ??= this.loop();
    return this.finished;
  }

  pause(): void {
    if (this.paused || this.stopping) return;
    this.paused = true;
    this.applyPause();
    if (this.started) this.options.onState('PAUSED', null);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.started) this.consumer?.resume(this.topicList());
    if (this.started && !this.stopping) this.options.onState('RUNNING', null);
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.stopped.open();
    if (this.finished) await within(this.finished, timeoutMs);
  }

  private async loop(): Promise<void> {
    const { spec, task, log } = this.options;
    const consumer = this.options.kafka.consumer({
      groupId: sinkGroupId(spec.name),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      metadataMaxAge: SINK_METADATA_MAX_AGE_MS,
    });
    this.consumer = consumer;
    const crashed = new Promise<unknown>((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) resolve(event.payload.error);
        else if (!this.retrying && !this.stopping && !this.failed) {
          this.retrying = true;
          this.counters.lastError = messageOf(event.payload.error);
          this.options.onState('RETRYING', traceOf(event.payload.error));
        }
      });
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.assigned = new Set(Object.keys(event.payload.memberAssignment));
      if (this.retrying && !this.stopping && !this.failed) {
        this.retrying = false;
        this.options.onState(this.paused ? 'PAUSED' : 'RUNNING', null);
      }
      if (this.paused) this.applyPause();
    });
    try {
      this.transform = transformChain<SinkRecord>(spec.transforms, spec.name);
      const { retries } = spec.errors;
      // A task that cannot start yet (its database unreachable) is given the retries of any failed operation.
      await retry(
        () =>
          task.start(this.options.config, {
            connector: this.id.connector,
            task: this.id.task,
            baseDir: this.options.baseDir,
            log,
            signal: new AbortController().signal,
            reportError: (record, err) => {
              const { topic, partition } = this.delivering;
              const m = this.delivering.find(record.topic, record.partition, record.offset);
              this.skip('TASK_PUT', err, m ? original(topic, partition, m) : undefined);
            },
          }),
        {
          ...TASK_OPERATION_RETRY,
          retries,
          onRetry: (err, n) => log.warn(`start failed (${messageOf(err)}); retry ${n} of ${retries}`),
        },
      );
      await consumer.connect();
      if (spec.topicsRegex)
        await consumer.subscribe({ topics: [new RegExp(spec.topicsRegex)], fromBeginning: true });
      else await consumer.subscribe({ topics: spec.topics ?? [], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, isRunning, isStale }) => {
          // Unresolved, a batch fetched just before a pause is fetched again after the resume.
          if (!isRunning() || isStale() || this.failed || this.paused) return;
          try {
            await this.deliver(batch.topic, batch.partition, batch.messages as KafkaMessage[]);
            resolveOffset(batch.lastOffset());
            await this.commit(consumer, batch.topic, batch.partition, batch.lastOffset());
            this.counters.partitionLag(batch.topic, batch.partition, Number(batch.offsetLag()));
          } catch (err) {
            this.fail(err);
          }
        },
      });
      this.started = true;
      if (this.paused) this.applyPause();
      if (!this.failed) this.options.onState(this.paused ? 'PAUSED' : 'RUNNING', null);
      const crash = await Promise.race([this.stopped.wait().then(() => undefined), crashed]);
      if (crash !== undefined) throw crash;
      await consumer.disconnect();
      if (!this.failed) {
        await task.flush();
        this.options.onState('UNASSIGNED', null);
      }
    } catch (err) {
      this.fail(err);
      await consumer.disconnect().catch(() => undefined);
    } finally {
      await task.stop().catch((err: unknown) => log.warn(`stopping the task failed: ${messageOf(err)}`));
    }
  }

  /**
   * A commit refused because the group is rebalancing is not the task's
   * failure: the records were delivered, and whoever owns the partition next
   * gets them again (at-least-once), as a Connect sink task does.
   */
  private async commit(
    consumer: Consumer,
    topic: string,
    partition: number,
    lastOffset: string,
  ): Promise<void> {
    const offset = (BigInt(lastOffset) + 1n).toString();
    const startedAt = performance.now();
    try {
      await consumer.commitOffsets([{ topic, partition, offset }]);
      this.counters.offsetCommit(true, performance.now() - startedAt);
    } catch (err) {
      this.counters.offsetCommit(false, 0);
      if (!isRetriable(err) && !GROUP_MOVED.has((err as { type?: string }).type ?? '')) throw err;
      this.options.log.warn(
        `committing ${topic}-${partition}@${offset} failed (${messageOf(err)}): its records may be delivered again`,
      );
    }
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = err;
    this.counters.lastError = messageOf(err);
    this.options.onState('FAILED', traceOf(err));
    // No further batch may be delivered (or committed) after a failure.
    this.applyPause();
    this.stopped.open();
  }

  private topicList(): Array<{ topic: string }> {
    const topics = this.assigned.size > 0 ? [...this.assigned] : (this.options.spec.topics ?? []);
    return topics.map((topic) => ({ topic }));
  }

  /** kafkajs refuses pause and resume before `run`; a pause asked for earlier is applied once it runs. */
  private applyPause(): void {
    if (this.started && this.consumer && (this.paused || this.failed)) this.consumer.pause(this.topicList());
  }

  private async deliver(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const { task, producer } = this.options;
    const records: SinkRecord[] = [];
    this.delivering = new DeliveringBatch(topic, partition, messages);
    for (const m of messages) {
      const record = this.convert(topic, partition, m);
      if (record === null) continue;
      if (!this.transform) {
        records.push(record);
        continue;
      }
      try {
        const transformed = this.transform(record);
        if (transformed) records.push(transformed);
      } catch (err) {
        this.skip('TRANSFORMATION', err, original(topic, partition, m));
      }
    }
    this.counters.recordsIn += messages.length;
    this.counters.batch(messages.length);
    this.counters.topics.add(topic);
    if (records.length > 0) await task.put(records);
    const { retries } = this.options.spec.errors;
    await retry(() => task.flush(), {
      ...TASK_OPERATION_RETRY,
      retries,
      onRetry: (err, n) =>
        this.options.log.warn(`flush failed (${messageOf(err)}); retry ${n} of ${retries}`),
    });
    const letters = this.errors.takeDeadLetters();
    const deadLetterTopic = letters[0]?.topic;
    if (deadLetterTopic !== undefined) {
      this.counters.deadLetterRequests++;
      try {
        await producer.send({
          topic: deadLetterTopic,
          acks: -1,
          messages: letters.map(({ key, value, headers }) => ({ key, value, headers })),
        });
      } catch (err) {
        this.counters.deadLetterFailures++;
        throw new PipeError(
          'KAFKA_REQUEST',
          `writing ${letters.length} dead letters to ${deadLetterTopic} failed: ${messageOf(err)}`,
          {
            cause: err,
            retriable: isRetriableKafkaError(err),
          },
        );
      }
    }
    this.counters.recordsOut += records.length;
  }

  /** The record as the task sees it, or null when a converter refused it and the policy tolerates that. */
  private convert(topic: string, partition: number, m: KafkaMessage): SinkRecord | null {
    const { key: keyConverter, value: valueConverter, header: headerConverter } = this.options.converters;
    let stage: Stage = 'KEY_CONVERTER';
    try {
      const key = m.key === null ? NULL_DATA : keyConverter.toConnectData(topic, m.key);
      stage = 'VALUE_CONVERTER';
      const value = valueConverter.toConnectData(topic, m.value);
      stage = 'HEADER_CONVERTER';
      const headers: SinkRecord['headers'] = [];
      // kafkajs gives every message a headers object, mostly empty: for-in allocates nothing for it, Object.entries an array.
      for (const name in m.headers) {
        const raw = m.headers[name];
        for (const one of Array.isArray(raw) ? raw : [raw]) {
          if (one === undefined) continue;
          const data = headerConverter.toConnectData(topic, typeof one === 'string' ? Buffer.from(one) : one);
          headers.push({ key: name, schema: data.schema, value: data.value });
        }
      }
      return {
        topic,
        partition,
        offset: m.offset,
        timestamp: Number(m.timestamp),
        keySchema: key.schema,
        key: key.value,
        valueSchema: value.schema,
        value: value.value,
        headers,
      };
    } catch (err) {
      this.skip(stage, err, original(topic, partition, m));
      return null;
    }
  }

  private skip(stage: Stage, err: unknown, record: OriginalRecord | undefined): void {
    try {
      this.errors.tolerate(stage, err, record);
    } finally {
      this.counters.recordErrors = this.errors.errors;
      this.counters.recordsFailed = this.errors.failed;
      this.counters.lastError = this.errors.lastError;
    }
  }
}

/**
 * A batch's messages, indexed by offset only when a task reports a record:
 * an index built for every batch put a Map entry per record on the hot path
 * (deliver's own time was 3.3% of the file sink's CPU profile) for the rare
 * record reported.
 */
class DeliveringBatch {
  private byOffset: Map<string, KafkaMessage> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly messages: readonly KafkaMessage[],
  ) {}

  find(topic: string, partition: number, offset: string): KafkaMessage | undefined {
    if (topic !== this.topic || partition !== this.partition) return undefined;
    this.byOffset ??= new Map(this.messages.map((m) => [m.offset, m]));
    return this.byOffset.get(offset);
  }
}

function original(topic: string, partition: number, m: KafkaMessage): OriginalRecord {
  const headers: Record<string, Buffer | undefined> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    headers[k] = first === undefined ? undefined : Buffer.isBuffer(first) ? first : Buffer.from(first);
  }
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers };
}
