/**
 * Helpers for integration tests against the real broker: unique names, a
 * client per test, produce and consume with deadlines, and waitFor instead of
 * sleeps.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { KafkaConnection } from '../../src/config/model.js';
import { connectionFor, createKafka, isRetriableKafkaError, type Kafka } from '../../src/kafka/client.js';
import { createTopicsAndWait } from '../../src/kafka/create-topics.js';
import { retry } from '../../src/time/retry.js';

export function brokers(): string {
  return inject('kafkaBrokers');
}

export function connection(clientId = 'pipe-test'): KafkaConnection {
  return connectionFor(brokers(), clientId);
}

export function kafka(clientId = 'pipe-test'): Kafka {
  return createKafka(connection(clientId));
}

/** A name no other test, and no earlier run against the same cluster, uses. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function createTopic(name: string, partitions = 1, config: Record<string, string> = {}) {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await createTopicsAndWait(admin, [
      {
        topic: name,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries: Object.entries(config).map(([n, value]) => ({ name: n, value })),
      },
    ]);
  } finally {
    await admin.disconnect();
  }
}

/**
 * A write right after a topic was created may meet a broker that has not
 * yet taken up the partition's leadership (kafkajs gives up after a few
 * seconds on a loaded machine): such failures are tried again.
 */
export function settled<T>(send: () => Promise<T>): Promise<T> {
  return retry(send, { retries: 5, initialMs: 500, maxMs: 4000, retriable: isRetriableKafkaError });
}

export interface TestMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string>;
  partition?: number;
}

export async function produce(topic: string, messages: TestMessage[]): Promise<void> {
  const producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await settled(() => producer.send({ topic, messages, acks: -1 }));
  } finally {
    await producer.disconnect();
  }
}

export async function produceN(topic: string, n: number, value: (i: number) => string = (i) => `m-${i}`) {
  const batch = 1000;
  for (let i = 0; i < n; i += batch) {
    await produce(
      topic,
      Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({ value: value(i + j) })),
    );
  }
}

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | undefined>;
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string;
}

/**
 * Reads `topic` from the beginning until `count` messages arrived or the
 * timeout passes; a timeout fails with how many did arrive.
 */
export async function consume(topic: string, count: number, timeoutMs = 20000): Promise<ConsumedMessage[]> {
  const consumer = kafka().consumer({ groupId: uniqueName('test-group'), allowAutoTopicCreation: false });
  const received: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`consumed ${received.length} of ${count} messages from ${topic} in ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: (message.headers ?? {}) as Record<string, Buffer | undefined>,
              timestamp: message.timestamp,
            });
            if (received.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** Polls `check` until it returns a truthy value; the timeout error says what was awaited. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 20000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result) return result;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
