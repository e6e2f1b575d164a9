import { describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { consume, createTopic, kafka, produce, uniqueName } from './helpers/kafka.js';

describe('the local broker', () => {
  it('stores and returns the exact bytes, keys and headers a producer sent', async () => {
    const topic = uniqueName('roundtrip');
    await createTopic(topic, 3);
    const value = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    await produce(topic, [
      { key: 'k1', value, headers: { trace: 'abc' }, partition: 2 },
      { key: null, value: '{"schema":{"type":"string","optional":false},"payload":"aaa"}', partition: 0 },
      { key: 'tomb', value: null, partition: 1 },
    ]);

    // produce() sends again after a retriable failure, so count what the topic holds before consuming it all.
    const messages = await consume(topic, (await readTopicToEnd(kafka(), topic)).length);
    const byPartition = new Map(messages.map((m) => [m.partition, m]));
    expect(byPartition.get(2)?.key?.toString()).toBe('k1');
    expect(byPartition.get(2)?.value).toEqual(value);
    expect(byPartition.get(2)?.headers['trace']?.toString()).toBe('abc');
    expect(byPartition.get(0)?.key).toBeNull();
    expect(byPartition.get(0)?.value?.toString()).toBe(
      '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
    );
    expect(byPartition.get(1)?.value).toBeNull();
  });
});
