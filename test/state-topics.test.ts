import { describe, expect, it } from 'vitest';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { ensureStateTopics } from '../src/state/topics.js';
import { kafka, produce, uniqueName } from './helpers/kafka.js';

describe('state topics', () => {
  it('are created compacted with Connect’s partition counts, and a second call changes nothing', async () => {
    const prefix = uniqueName('state');
    const admin = kafka().admin();
    await admin.connect();
    try {
      const names = await ensureStateTopics(admin, { topicPrefix: prefix, replicationFactor: 1 });
      expect(names).toEqual(stateTopicNames(prefix));
      await ensureStateTopics(admin, { topicPrefix: prefix, replicationFactor: 1 });

      const meta = await admin.fetchTopicMetadata({ topics: [names.configs, names.offsets, names.status] });
      const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [names.configs]: 1, [names.offsets]: 25, [names.status]: 5 });

      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: names.configs, configNames: ['cleanup.policy'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');

      const status = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: names.status, configNames: ['cleanup.policy', 'segment.ms'] }],
      });
      const statusConfig = Object.fromEntries(
        (status.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
      );
      expect(statusConfig).toEqual({ 'cleanup.policy': 'compact', 'segment.ms': '600000' });
    } finally {
      await admin.disconnect();
    }
  });
});

describe('readTopicToEnd', () => {
  it('returns every record up to the end of every partition, and nothing for an empty topic', async () => {
    const prefix = uniqueName('read');
    const admin = kafka().admin();
    await admin.connect();
    const names = await ensureStateTopics(admin, { topicPrefix: prefix, replicationFactor: 1 });
    await admin.disconnect();

    expect(await readTopicToEnd(kafka(), names.status)).toEqual([]);

    await produce(names.status, [
      { key: 'a', value: '1', partition: 0 },
      { key: 'b', value: '2', partition: 3 },
      { key: 'a', value: '3', partition: 0 },
      { key: 'b', value: null, partition: 3 },
    ]);
    const records = await readTopicToEnd(kafka(), names.status);
    expect(records.map((r) => [r.partition, r.key?.toString(), r.value?.toString() ?? null])).toEqual([
      [0, 'a', '1'],
      [0, 'a', '3'],
      [3, 'b', '2'],
      [3, 'b', null],
    ]);
    const latest = latestByKey(records);
    expect([...latest.entries()].map(([k, v]) => [k, v.toString()])).toEqual([['a', '3']]);
  });
});
