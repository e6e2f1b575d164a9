/**
 * Follows the project's configs topic from its start, for as long as the
 * worker runs, and says when it has read everything that was there when it
 * began, so the herder starts connectors from the full picture rather than
 * from a prefix of it.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from '../kafka/client.js';
import { type ConfigRecord, decodeConfigRecord } from '../state/configs-topic.js';
import { foreignRecordWarning } from '../state/foreign.js';
import { retry } from '../time/retry.js';

export interface ConfigFollower {
  /** Resolves once every record present at the start has been handed over. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export async function followConfigs(
  kafka: Kafka,
  topic: string,
  onRecords: (records: ConfigRecord[]) => void,
  onWarning: (message: string) => void,
): Promise<ConfigFollower> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await retry(() => admin.fetchTopicOffsets(topic));
    ends = new Map(offsets.filter((o) => BigInt(o.high) > 0n).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });
  if (ends.size === 0) markCaughtUp();

  // A group of its own that commits nothing: every worker reads every record.
  const consumer = kafka.consumer({
    groupId: `pipe-worker-configs-${randomBytes(6).toString('hex')}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
  });
  // An outage is one warning and one recovery, not one warning per kafkajs restart.
  let failing = false;
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    if (restart && failing) return;
    failing = true;
    onWarning(
      `following ${topic} failed (${error.message}); ${restart ? 'retrying until it works again' : 'configuration changes are no longer seen: restart the worker'}`,
    );
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (!failing) return;
    failing = false;
    onWarning(`following ${topic} works again`);
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const records: ConfigRecord[] = [];
      for (const m of batch.messages) {
        const place = { topic, partition: batch.partition, offset: m.offset };
        const decoded = decodeConfigRecord(place, m.key, m.value);
        if (decoded.ok) records.push(decoded.record);
        else onWarning(foreignRecordWarning(decoded.foreign));
      }
      if (records.length > 0) onRecords(records);
      const end = ends.get(batch.partition);
      if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
        ends.delete(batch.partition);
        if (ends.size === 0) markCaughtUp();
      }
    },
  });
  return {
    caughtUp,
    stop: () => consumer.disconnect(),
  };
}
