/**
 * Reading a state topic to its end on the real broker, without a consumer
 * group: every record up to the end seen at the start, in partition and
 * offset order, none of an aborted transaction, and no wait on a partition
 * whose log ends in a transaction marker.
 */
import { describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { createTopic, kafka, produce, uniqueName } from './helpers/kafka.js';

const values = (records: Awaited<ReturnType<typeof readTopicToEnd>>) =>
  records.map((r) => `${r.partition}:${r.value?.toString() ?? 'null'}`);

async function transactional(id: string) {
  const producer = kafka().producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

describe('readTopicToEnd', () => {
  it('returns every partition’s records in order, tombstones included, and nothing of an empty topic', async () => {
    const topic = uniqueName('read');
    await createTopic(topic, 3);
    expect(await readTopicToEnd(kafka(), topic)).toEqual([]);
    await produce(topic, [
      { key: 'a', value: 'a1', partition: 0 },
      { key: 'b', value: 'b1', partition: 2 },
      { key: 'a', value: 'a2', partition: 0 },
      { key: 'b', value: null, partition: 2 },
    ]);
    const records = await readTopicToEnd(kafka(), topic);
    expect(values(records)).toEqual(['0:a1', '0:a2', '2:b1', '2:null']);
    expect(records.map((r) => [r.partition, r.offset, r.key?.toString()])).toEqual([
      [0, '0', 'a'],
      [0, '1', 'a'],
      [2, '0', 'b'],
      [2, '1', 'b'],
    ]);
    expect(Number(records[0]?.timestamp)).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('reads many batches of one partition to the end', async () => {
    const topic = uniqueName('read-many');
    await createTopic(topic, 1);
    for (let batch = 0; batch < 20; batch++)
      await produce(
        topic,
        Array.from({ length: 500 }, (_, i) => ({ value: `${batch * 500 + i}`.padStart(600, '.') })),
      );
    const records = await readTopicToEnd(kafka(), topic);
    expect(records.map((r) => Number(r.value?.toString().replace(/^\.+/, '')))).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i),
    );
  });

  it('drops aborted transactions, keeps committed ones, and ends on a partition whose last record is a marker', async () => {
    const topic = uniqueName('read-tx');
    await createTopic(topic, 2);
    const producer = await transactional(uniqueName('tx'));
    try {
      const committed = await producer.transaction();
      await committed.send({
        topic,
        messages: [
          { value: 'kept-1', partition: 0 },
          { value: 'kept-2', partition: 1 },
        ],
      });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ value: 'dropped', partition: 0 }] });
      await aborted.abort();
      const last = await producer.transaction();
      await last.send({ topic, messages: [{ value: 'kept-3', partition: 0 }] });
      await last.commit();
    } finally {
      await producer.disconnect();
    }
    // Both partitions end in a commit marker, partition 0 also holds an abort marker.
    expect(values(await readTopicToEnd(kafka(), topic, { timeoutMs: 10_000 }))).toEqual([
      '0:kept-1',
      '0:kept-3',
      '1:kept-2',
    ]);
  });

  it('stops at an open transaction, or with `stable` waits for it to commit', async () => {
    const topic = uniqueName('read-open');
    await createTopic(topic, 1);
    await produce(topic, [{ value: 'before' }]);
    const producer = await transactional(uniqueName('tx-open'));
    try {
      const open = await producer.transaction();
      await open.send({ topic, messages: [{ value: 'inside' }] });
      expect(values(await readTopicToEnd(kafka(), topic))).toEqual(['0:before']);
      const waiting = readTopicToEnd(kafka(), topic, { stable: true, timeoutMs: 30_000 });
      await open.commit();
      expect(values(await waiting)).toEqual(['0:before', '0:inside']);
    } finally {
      await producer.disconnect();
    }
  });

  it('fails naming the topic when it does not exist', async () => {
    const topic = uniqueName('read-missing');
    await expect(readTopicToEnd(kafka(), topic, { timeoutMs: 5000 })).rejects.toThrow(topic);
  });
});
