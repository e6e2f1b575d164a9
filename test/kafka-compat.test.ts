/**
 * The Kafka features pipe relies on, exercised through the project's client
 * against the harness broker. Run with PIPE_KAFKA_VERSION=<v> to qualify a
 * Kafka release (see README, "Kafka version").
 */
import { describe, expect, it } from 'vitest';
import { consume, createTopic, kafka, produce, uniqueName, waitFor } from './helpers/kafka.js';

describe('kafka features pipe relies on', () => {
  it('increases partitions and reports non-default topic configs apart from broker defaults', async () => {
    const topic = uniqueName('compat');
    await createTopic(topic, 1, { 'retention.ms': '604800000' });
    const admin = kafka().admin();
    await admin.connect();
    try {
      await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
      // Metadata reaches the broker's cache a moment after the controller
      // accepted the change: readers must wait for it, not assume it.
      const partitions = await waitFor('3 partitions in the metadata', async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0]?.partitions.length === 3 && meta.topics[0].partitions;
      });
      expect(partitions).toHaveLength(3);

      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic }],
      });
      const entries = described.resources[0]?.configEntries ?? [];
      const retention = entries.find((e) => e.configName === 'retention.ms');
      const cleanup = entries.find((e) => e.configName === 'cleanup.policy');
      expect(retention?.configValue).toBe('604800000');
      expect(retention?.isDefault).toBe(false);
      expect(cleanup?.isDefault).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });

  it('accepts an idempotent producer with acks=all', async () => {
    const topic = uniqueName('compat-idem');
    await createTopic(topic, 1);
    const producer = kafka().producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    } finally {
      await producer.disconnect();
    }
    const got = await consume(topic, 2);
    expect(got.map((m) => m.value?.toString())).toEqual(['a', 'b']);
  });

  it('commits a transaction that a consumer then reads', async () => {
    const topic = uniqueName('compat-tx');
    await createTopic(topic, 1);
    const producer = kafka().producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    try {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: [{ value: 'in-tx' }] });
      await tx.commit();
    } finally {
      await producer.disconnect();
    }
    const got = await consume(topic, 1);
    expect(got[0]?.value?.toString()).toBe('in-tx');
  });

  it('shares partitions among the members of a consumer group and commits their offsets', async () => {
    const topic = uniqueName('compat-group');
    const groupId = uniqueName('group');
    await createTopic(topic, 2);
    await produce(topic, [
      { value: 'p0', partition: 0 },
      { value: 'p1', partition: 1 },
    ]);
    const seen = new Map<string, Set<number>>();
    const consumers = ['a', 'b'].map((id) => {
      const consumer = kafka(`member-${id}`).consumer({ groupId, allowAutoTopicCreation: false });
      seen.set(id, new Set());
      return { id, consumer };
    });
    for (const { id, consumer } of consumers) {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ partition }) => void seen.get(id)?.add(partition) });
    }
    const admin = kafka().admin();
    await admin.connect();
    try {
      const ends = new Map(
        (await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high] as [number, string]),
      );
      const committed = await waitFor(
        'the group to commit both partitions to their ends',
        async () => {
          const parts = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
          return parts.length === 2 && parts.every((p) => p.offset === ends.get(p.partition)) && parts;
        },
        { timeoutMs: 40000 },
      );
      expect(committed).toHaveLength(2);
      const all = [...seen.values()].flatMap((s) => [...s]).sort();
      expect(all).toEqual([0, 1]);
    } finally {
      await admin.disconnect();
      for (const { consumer } of consumers) await consumer.disconnect();
    }
  });
});
