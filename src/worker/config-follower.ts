/**
 * Follows the project's configs topic from its start, for as long as the
 * worker runs, and says when it has read everything that was there when it
 * began, so the herder starts connectors from the full picture rather than
 * from a prefix of it.
 */
import { randomBytes } from 'node:crypto';
import { messageOf } from '../errors.js';
import type { Consumer, Kafka } from '../kafka/client.js';
import { type ConfigRecord, decodeConfigRecord } from '../state/configs-topic.js';
import { foreignRecordWarning } from '../state/foreign.js';
import { backoffMs, retry } from '../time/retry.js';

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

  // An outage is one warning and one recovery, not one warning per kafkajs restart.
  let failing = false;
  let stopped = false;
  let restarts = 0;
  /** The next offset to hand over, per partition: a new consumer after a crash skips what was handed over. */
  const next = new Map<number, bigint>();
  let consumer: Consumer;
  const follow = async (): Promise<void> => {
    // A group of its own that commits nothing: every worker reads every record.
    const current = kafka.consumer({
      groupId: `pipe-worker-configs-${randomBytes(6).toString('hex')}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
    });
    consumer = current;
    current.on(current.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      if (!failing) {
        failing = true;
        onWarning(`following ${topic} failed (${error.message}); retrying until it works again`);
      }
      if (restart || stopped) return;
      // kafkajs gave up on this consumer (a coordinator still loading, say): follow with a new one.
      restarts++;
      setTimeout(
        () => {
          if (stopped) return;
          void current
            .disconnect()
            .catch(() => undefined)
            .then(() => (stopped ? undefined : follow()))
            .catch((err: unknown) => onWarning(`following ${topic} failed again (${messageOf(err)})`));
        },
        backoffMs(restarts, 500, 10_000),
      ).unref();
    });
    current.on(current.events.GROUP_JOIN, () => {
      if (!failing) return;
      failing = false;
      onWarning(`following ${topic} works again`);
    });
    await current.connect();
    await current.subscribe({ topic, fromBeginning: true });
    await current.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const from = next.get(batch.partition) ?? 0n;
        const records: ConfigRecord[] = [];
        for (const m of batch.messages) {
          if (BigInt(m.offset) < from) continue;
          const place = { topic, partition: batch.partition, offset: m.offset };
          const decoded = decodeConfigRecord(place, m.key, m.value);
          if (decoded.ok) records.push(decoded.record);
          else onWarning(foreignRecordWarning(decoded.foreign));
        }
        if (records.length > 0) onRecords(records);
        const last = BigInt(batch.lastOffset());
        if (last + 1n > from) next.set(batch.partition, last + 1n);
        const end = ends.get(batch.partition);
        if (end !== undefined && last + 1n >= end) {
          ends.delete(batch.partition);
          if (ends.size === 0) markCaughtUp();
        }
      },
    });
  };
  await follow();
  return {
    caughtUp,
    stop: () => {
      stopped = true;
      return consumer.disconnect();
    },
  };
}
