import { describe, expect, it } from 'vitest';
import { createDataProducer } from '../src/kafka/data-producer.js';
import { keyPartition } from '../src/kafka/key-partition.js';
import { connection, consume, createTopic, uniqueName } from './helpers/kafka.js';

describe('the data producer', () => {
  it('keeps explicit partitions, per-partition order, null keys and values, and headers', async () => {
    const topic = uniqueName('data-producer');
    await createTopic(topic, 3);
    const producer = createDataProducer(connection(), { role: 'test', idempotent: true });
    try {
      const lines = (p: number, from: number) =>
        Array.from({ length: 500 }, (_, i) => ({
          key: null,
          value: Buffer.from(`p${p}-${from + i}`),
          partition: p,
        }));
      await producer.send([{ topic, messages: [...lines(0, 0), ...lines(2, 0)] }]);
      await producer.send([
        {
          topic,
          messages: [
            ...lines(0, 500),
            { key: Buffer.from('k'), value: null, partition: 1, headers: { trace: [Buffer.from('abc')] } },
          ],
        },
      ]);
    } finally {
      await producer.close();
    }

    const messages = await consume(topic, 1501);
    const values = (p: number) => messages.filter((m) => m.partition === p).map((m) => m.value?.toString());
    expect(values(0)).toEqual(Array.from({ length: 1000 }, (_, i) => `p0-${i}`));
    expect(values(2)).toEqual(Array.from({ length: 500 }, (_, i) => `p2-${i}`));
    const tombstone = messages.find((m) => m.partition === 1);
    expect(tombstone?.key?.toString()).toBe('k');
    expect(tombstone?.value).toBeNull();
    expect(tombstone?.headers['trace']?.toString()).toBe('abc');
  });

  it('keeps the timestamps of one request that lie weeks apart', async () => {
    const topic = uniqueName('data-producer-timestamps');
    await createTopic(topic, 1);
    // More than 2^31 ms (24.8 days) from the batch's first: the client's own encoder wrote such deltas wrong.
    const day = 86_400_000;
    const now = Date.now();
    const timestamps = [now, now - 30 * day, now - 365 * day, now - 1_000, 0].map(String);
    const producer = createDataProducer(connection(), { role: 'test', idempotent: true });
    try {
      await producer.send([
        {
          topic,
          messages: timestamps.map((timestamp, i) => ({ key: null, value: Buffer.from(`r${i}`), timestamp })),
        },
      ]);
    } finally {
      await producer.close();
    }
    const messages = await consume(topic, timestamps.length);
    expect(messages.map((m) => m.timestamp)).toEqual(timestamps);
  });

  it("puts a keyed record without a partition where Kafka Connect's Java producer puts it, on 3 partitions", async () => {
    const topic = uniqueName('data-producer-keys');
    await createTopic(topic, 3);
    const keys = Array.from({ length: 300 }, (_, i) => Buffer.from(`key-${i}`));
    // About half of these keys hash with the sign bit set: an unsigned reading of the hash moves a third of those.
    const producer = createDataProducer(connection(), { role: 'test', idempotent: true });
    try {
      await producer.send([{ topic, messages: keys.map((key) => ({ key, value: key })) }]);
    } finally {
      await producer.close();
    }
    const messages = await consume(topic, keys.length);
    const placed = messages.map((m) => ({ key: m.key?.toString(), partition: m.partition }));
    const javas = keys.map((key) => ({ key: key.toString(), partition: keyPartition(key, 3) }));
    expect(placed.sort(byKey)).toEqual(javas.sort(byKey));
  });
});

function byKey(a: { key?: string }, b: { key?: string }): number {
  return (a.key ?? '').localeCompare(b.key ?? '');
}
