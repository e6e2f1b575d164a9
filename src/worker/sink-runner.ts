/**
 * Runs one sink task: a member of consumer group `connect-<connector>`
 * (Kafka Connect's naming, so a sink moves between pipe and Connect without
 * re-reading), polls → converters → `put()` → `flush()` → commit. A poll's
 * consumer offsets are committed only after the task flushed its records and
 * their dead letters were written, so a crash re-delivers rather than loses.
 * The next poll is fetched and converted while the last one is flushed and
 * committed (the task's database round trip was idle time of the worker),
 * but its `put` waits for that flush: a task sees one batch at a time.
 */
import type { ConnectorSpec } from '../config/model.js';
import type { SinkRecord, SinkTask, TaskConfig } from '../connectors/api.js';
import { messageOf, PipeError } from '../errors.js';
import { present } from '../invariant.js';
import { connectionOf, isRetriableKafkaError, type Kafka, type Producer } from '../kafka/client.js';
import {
  createSinkConsumer,
  type SinkBatch,
  type SinkConsumer,
  type SinkMessage,
} from '../kafka/sink-consumer.js';
import { backoffMs, isRetriable, retry } from '../time/retry.js';
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

const NULL_DATA = { schema: null, value: null };

/** Pauses between tries of a consumer that cannot reach the cluster: from 200 ms, doubling to 5 s. */
const KAFKA_RETRY = { initialMs: 200, maxMs: 5000 } as const;

export function sinkGroupId(connector: string): string {
  return `connect-${connector}`;
}

export class SinkTaskRunner implements TaskRunner {
  readonly id: TaskId;
  readonly counters = new TaskCounters();
  private readonly errors: ErrorHandler;
  /** Opened by a stop, a failure or a resume: whatever waits in the loop looks again. */
  private readonly wake = new Gate();
  private paused = false;
  private started = false;
  private stopping = false;
  private failed = false;
  private finished: Promise<void> | undefined;
  private transform: Transform<SinkRecord> | undefined;
  private failure: unknown;
  /** Failed consumer requests in a row: the consumer is RETRYING while there are any. */
  private kafkaFailures = 0;
  /** What a poll returned while the task was paused: delivered first after the resume. */
  private held: SinkBatch[] | undefined;
  /** The batches being delivered: what a record the task reports was on the wire. */
  private delivering: DeliveringBatch[] = [];
  /** The last poll's put and flush, in flight while the next poll is fetched and converted. */
  private writing: Promise<void> = Promise.resolve();
  /** The offset commits in flight, chained so they reach the group in poll order. */
  private committing: Promise<void> = Promise.resolve();

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
    if (this.started) this.options.onState('PAUSED', null);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.wake.open();
    if (this.started && !this.stopping && !this.failed && this.kafkaFailures === 0)
      this.options.onState('RUNNING', null);
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.wake.open();
    if (this.finished) await within(this.finished, timeoutMs);
  }

  private async loop(): Promise<void> {
    const { spec, task, log } = this.options;
    const consumer = createSinkConsumer(connectionOf(this.options.kafka), {
      groupId: sinkGroupId(spec.name),
      // Connect matches topics.regex against whole topic names.
      topics: spec.topicsRegex ? new RegExp(`^(?:${spec.topicsRegex})$`) : (spec.topics ?? []),
      role: 'worker-sink',
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
              for (const batch of this.delivering) {
                const m = batch.find(record.topic, record.partition, record.offset);
                if (m) return this.skip('TASK_PUT', err, original(batch.topic, batch.partition, m));
              }
              this.skip('TASK_PUT', err, undefined);
            },
          }),
        {
          ...TASK_OPERATION_RETRY,
          retries,
          onRetry: (err, n) => log.warn(`start failed (${messageOf(err)}); retry ${n} of ${retries}`),
        },
      );
      while (!this.started && !this.stopping && !this.failed) {
        if (await this.kafka(() => consumer.start().then(() => true))) {
          this.started = true;
          this.options.onState(this.paused ? 'PAUSED' : 'RUNNING', null);
        }
      }
      while (!this.stopping && !this.failed) {
        if (this.paused) {
          await this.wake.wait();
          continue;
        }
        const batches = this.held ?? (await this.kafka(() => consumer.poll()));
        this.held = undefined;
        if (!batches || batches.length === 0 || this.stopping || this.failed) continue;
        // Taken from the consumer, so delivered after the resume: dropped, they would be skipped.
        if (this.paused) {
          this.held = batches;
          continue;
        }
        const converted = this.convertAll(batches);
        // The last poll's write ran while this one was fetched and converted; a task gets one put/flush at a time.
        await this.writing;
        if (this.failed) break;
        this.writing = this.write(consumer, batches, converted);
      }
      await this.settled();
      await consumer.close();
      if (!this.failed) {
        await task.flush();
        this.options.onState('UNASSIGNED', null);
      }
    } catch (err) {
      // A record of this poll refused by its converter fails the task only after the last poll's write is settled.
      await this.settled();
      this.fail(err);
      await consumer.close().catch(() => undefined);
    } finally {
      await task.stop().catch((err: unknown) => log.warn(`stopping the task failed: ${messageOf(err)}`));
    }
  }

  /**
   * Puts and flushes one poll's records, then commits its offsets after the
   * last poll's commit: resolved once flushed, so the next poll's write may
   * start while this commit is on the wire. Never rejects; a failure fails
   * the task, and nothing after it is flushed or committed.
   */
  private write(consumer: SinkConsumer, batches: SinkBatch[], converted: SinkRecord[][]): Promise<void> {
    const flushed = this.deliver(batches, converted).then(
      () => true,
      (err: unknown) => {
        this.fail(err);
        return false;
      },
    );
    const previous = this.committing;
    this.committing = flushed
      .then(async (ok) => {
        await previous;
        if (ok && !this.failed) await this.commit(consumer, batches);
      })
      .catch((err: unknown) => this.fail(err));
    return flushed.then(() => undefined);
  }

  /** Waits for the write and the commits in flight. */
  private async settled(): Promise<void> {
    await this.writing;
    await this.committing;
  }

  /**
   * Runs a consumer request; a retriable failure puts the task in RETRYING
   * and returns undefined after a pause (cut short by a stop), and the next
   * success puts it back in RUNNING.
   */
  private async kafka<T>(request: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await request();
      if (this.kafkaFailures > 0) {
        this.kafkaFailures = 0;
        if (this.started && !this.stopping && !this.failed)
          this.options.onState(this.paused ? 'PAUSED' : 'RUNNING', null);
      }
      return result;
    } catch (err) {
      if (!isRetriable(err)) throw err;
      this.kafkaFailures++;
      this.counters.lastError = messageOf(err);
      if (this.kafkaFailures === 1) this.options.onState('RETRYING', traceOf(err));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => {
          timer = setTimeout(r, backoffMs(this.kafkaFailures, KAFKA_RETRY.initialMs, KAFKA_RETRY.maxMs));
        }),
        this.wake.wait(),
      ]);
      clearTimeout(timer);
      return undefined;
    }
  }

  /**
   * A commit refused because the group is rebalancing is not the task's
   * failure: the records were delivered, and whoever owns the partition next
   * gets them again (at-least-once), as a Connect sink task does.
   */
  private async commit(consumer: SinkConsumer, batches: SinkBatch[]): Promise<void> {
    const startedAt = performance.now();
    try {
      await consumer.commit(batches.map(({ topic, partition, next }) => ({ topic, partition, next })));
      this.counters.offsetCommit(true, performance.now() - startedAt);
    } catch (err) {
      this.counters.offsetCommit(false, 0);
      if (!isRetriable(err)) throw err;
      const where = batches.map((b) => `${b.topic}-${b.partition}@${b.next}`).join(', ');
      this.options.log.warn(
        `committing ${where} failed (${messageOf(err)}): its records may be delivered again`,
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
    this.wake.open();
  }

  /** Each partition's records through the converters and transforms, before the last poll's write is done. */
  private convertAll(batches: SinkBatch[]): SinkRecord[][] {
    return batches.map(({ topic, partition, messages }) => {
      const records: SinkRecord[] = [];
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
      return records;
    });
  }

  /** One `put` per partition's batch, then one `flush` and one write of dead letters for the whole poll. */
  private async deliver(batches: SinkBatch[], converted: SinkRecord[][]): Promise<void> {
    const { task, producer } = this.options;
    this.delivering = batches.map((b) => new DeliveringBatch(b.topic, b.partition, b.messages));
    let delivered = 0;
    for (const [i, { topic, partition, messages, lag }] of batches.entries()) {
      const records = present(converted[i], `the converted records of ${topic}-${partition}`);
      this.counters.recordsIn += messages.length;
      this.counters.batch(messages.length);
      this.counters.topics.add(topic);
      this.counters.partitionLag(topic, partition, lag);
      if (records.length > 0) await task.put(records);
      delivered += records.length;
    }
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
    this.counters.recordsOut += delivered;
  }

  /** The record as the task sees it, or null when a converter refused it and the policy tolerates that. */
  private convert(topic: string, partition: number, m: SinkMessage): SinkRecord | null {
    const { key: keyConverter, value: valueConverter, header: headerConverter } = this.options.converters;
    let stage: Stage = 'KEY_CONVERTER';
    try {
      const key = m.key === null ? NULL_DATA : keyConverter.toConnectData(topic, m.key);
      stage = 'VALUE_CONVERTER';
      const value = valueConverter.toConnectData(topic, m.value);
      stage = 'HEADER_CONVERTER';
      const headers: SinkRecord['headers'] = [];
      for (const [name, raw] of m.headers) {
        const data = headerConverter.toConnectData(topic, raw);
        headers.push({ key: name?.toString() ?? '', schema: data.schema, value: data.value });
      }
      return {
        topic,
        partition,
        offset: m.offset,
        timestamp: m.timestamp,
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
  private byOffset: Map<string, SinkMessage> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly messages: readonly SinkMessage[],
  ) {}

  find(topic: string, partition: number, offset: string): SinkMessage | undefined {
    if (topic !== this.topic || partition !== this.partition) return undefined;
    this.byOffset ??= new Map(this.messages.map((m) => [m.offset, m]));
    return this.byOffset.get(offset);
  }
}

/** The record as it was on the wire, for its dead letter: a header repeated keeps its first value. */
function original(topic: string, partition: number, m: SinkMessage): OriginalRecord {
  const headers: Record<string, Buffer | undefined> = {};
  for (const [name, value] of m.headers) {
    const key = name?.toString() ?? '';
    if (!(key in headers)) headers[key] = value ?? undefined;
  }
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers };
}
