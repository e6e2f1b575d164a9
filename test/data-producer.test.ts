import { describe, expect, it } from 'vitest';
import { createDataProducer } from '../src/kafka/data-producer.js';
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
});
