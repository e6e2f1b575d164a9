/**
 * Reads a topic from its start up to the high watermarks seen when the read
 * began: how pipe loads its compacted state topics. Records appended after
 * the call starts are not waited for.
 */
import { randomBytes } from 'node:crypto';
import { messageOf, PipeError } from '../errors.js';
import { retry } from '../time/retry.js';
import type { Kafka } from './client.js';

export interface TopicRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
}

export interface ReadOptions {
  timeoutMs?: number;
  /**
   * Also wait for the transactions open when the read began to end: reads
   * up to the high watermark instead of the last stable offset. Records of
   * aborted transactions are never returned either way (read_committed).
   */
  stable?: boolean;
}

/**
 * kafkajs has no group-less consumer, so the read uses a throw-away group
 * that commits nothing. Brokers delay a new group's first rebalance by
 * `group.initial.rebalance.delay.ms` (3 s by default; the local broker sets 0),
 * which is the floor of this read's latency on such clusters.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  options: ReadOptions = {},
): Promise<TopicRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await retry(() => admin.fetchTopicOffsets(topic));
    ends = new Map(
      offsets
        .filter((o) => BigInt(o.high) > BigInt(o.low))
        .map((o) => [o.partition, BigInt(o.high)] as [number, bigint]),
    );
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];

  const records: TopicRecord[] = [];
  const pending = new Set(ends.keys());
  const raised = new Set<number>();
  const consumer = kafka.consumer({
    groupId: `pipe-reader-${randomBytes(6).toString('hex')}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const timeoutMs = options.timeoutMs ?? 30000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new PipeError('TIMEOUT', `reading ${topic} did not reach its end in ${timeoutMs} ms`, {
              retriable: true,
              meta: { topic, partitionsPending: [...pending] },
            }),
          ),
        timeoutMs,
      );
      // Every batch ends with this event, one whose records were all transaction markers or
      // aborted included (kafkajs hands those to no eachBatch); its lastOffset counts them.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic !== topic) return;
        const end = ends.get(payload.partition);
        if (end === undefined) return;
        if (options.stable && !raised.has(payload.partition)) {
          // The high watermark of the partition's first batch: transactions open then must end first.
          raised.add(payload.partition);
          const high = BigInt(payload.highWatermark);
          if (high > end) ends.set(payload.partition, high);
        }
        if (BigInt(payload.lastOffset) + 1n >= (ends.get(payload.partition) ?? end)) {
          pending.delete(payload.partition);
          if (pending.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition);
            if (end === undefined) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= end) break;
              records.push({
                partition: batch.partition,
                offset: m.offset,
                key: m.key,
                value: m.value,
                timestamp: m.timestamp,
              });
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(
            new PipeError('KAFKA_REQUEST', `reading ${topic} failed: ${messageOf(err)}`, { cause: err }),
          );
        });
    });
  } finally {
    await consumer.disconnect();
  }
  records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  return records;
}

/** The latest value of every key, in log order; tombstoned keys are absent. */
export function latestByKey(records: TopicRecord[]): Map<string, Buffer> {
  const latest = new Map<string, Buffer>();
  for (const r of records) {
    if (r.key === null) continue;
    const key = r.key.toString('utf8');
    if (r.value === null) latest.delete(key);
    else latest.set(key, r.value);
  }
  return latest;
}
