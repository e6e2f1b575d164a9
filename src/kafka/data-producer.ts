/**
 * The producer of source tasks' records: @platformatic/kafka, which groups a
 * request's records in linear time where kafkajs's cost grows with the
 * square of their number (bench/RESULTS.md measures both), with its record
 * batches written by pipe (produce-request.ts, record-batch.ts). Sinks
 * consume through the same client (sink-consumer.ts); the control plane
 * (status, offsets, dead letters, admin) stays on kafkajs through client.ts:
 * one client per role.
 */
import {
  type API,
  type Callback,
  compatibilityPartitioner,
  kGetApi,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import type { KafkaConnection } from '../config/model.js';
import { platformaticConnection } from './platformatic-connection.js';
import { pipeErrorOf } from './platformatic-errors.js';
import { produceApi } from './produce-request.js';

export interface DataMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer[]>;
  /** Always set by the worker, which picks partitions itself (sticky for keyless records). */
  partition?: number;
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp?: string;
}

export type DataTopicMessages = Array<{ topic: string; messages: DataMessage[] }>;

export interface DataProducer {
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  send(topicMessages: DataTopicMessages): Promise<void>;
  close(): Promise<void>;
}

export interface DataProducerOptions {
  /** Suffix of the client id, so broker logs tell pipe's roles apart. */
  role: string;
  idempotent: true;
}

/**
 * A few seconds of the client's own retries: past them the send fails as
 * retriable, and the task retries it (without limit) in the RETRYING state,
 * so an outage shows in `pipe status` instead of behind a RUNNING task.
 */
const RETRIES = 5;
const retryDelay = (_client: unknown, _operation: string, attempt: number) =>
  Math.min(5000, 200 * 2 ** (attempt - 1));

type Producible = Parameters<Producer['send']>[0]['messages'][number];

/** A message as the client takes it (exported for tests that encode it as the client does). */
export function toProducible(topic: string, m: DataMessage): Producible {
  const out: Producible = { topic };
  if (m.key !== null) out.key = m.key;
  if (m.value !== null) out.value = m.value;
  if (m.partition !== undefined) out.partition = m.partition;
  if (m.timestamp !== undefined) out.timestamp = BigInt(m.timestamp);
  if (m.headers) {
    // Buffer keys are compared by identity, so a header repeated with several values stays repeated.
    const headers = new Map<Buffer, Buffer>();
    for (const [name, values] of Object.entries(m.headers))
      for (const value of values) headers.set(Buffer.from(name), value);
    out.headers = headers;
  }
  return out;
}

/**
 * The client's producer, its Produce requests written by produce-request.ts.
 * `kGetApi` is the client's hook for the API of a version agreed with the
 * broker; every other API stays the client's.
 */
class DataPathProducer extends Producer {
  override [kGetApi]<A extends Array<unknown>, R>(name: string, callback: Callback<API<A, R>>): void {
    super[kGetApi]<A, R>(name, (error, api) => {
      const own = name === 'Produce' && api ? produceApi(api.version) : undefined;
      callback(error, (own as API<A, R> | undefined) ?? api);
    });
  }
}

export function createDataProducer(conn: KafkaConnection, options: DataProducerOptions): DataProducer {
  const create = () =>
    new DataPathProducer({
      ...platformaticConnection(conn, options.role),
      retries: RETRIES,
      retryDelay,
      idempotent: options.idempotent,
      acks: ProduceAcks.ALL,
      autocreateTopics: false,
      // A keyed record goes where Kafka Connect's Java producer puts it (the hash made positive by masking
      // the sign bit), so a connector moved between runtimes keeps each key on its partition; the client's
      // default reads the hash as unsigned, which differs on partition counts that are not powers of two.
      partitioner: compatibilityPartitioner,
    });
  let producer = create();
  return {
    async send(topicMessages) {
      const messages: Producible[] = [];
      for (const { topic, messages: batch } of topicMessages)
        for (const m of batch) messages.push(toProducible(topic, m));
      if (messages.length === 0) return;
      try {
        await producer.send({ messages });
      } catch (err) {
        const failure = pipeErrorOf(conn, err, `producing ${messages.length} records failed`);
        // A fresh producer id for what comes next: the failed request's sequence numbers may or may not have
        // reached the broker, and a refused one (a record too large) left them behind the broker's.
        const old = producer;
        producer = create();
        old.close(true, () => undefined);
        throw failure;
      }
    },
    async close() {
      try {
        await producer.close();
      } catch (err) {
        throw pipeErrorOf(conn, err, 'closing the producer failed');
      }
    },
  };
}
