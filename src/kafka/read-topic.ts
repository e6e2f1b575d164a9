/**
 * Reads a topic from its start up to the end offsets seen when the read
 * began: how pipe loads its compacted state topics. Records appended after
 * the call starts are not waited for.
 *
 * Plain fetch requests to each partition's leader, as Kafka Connect's
 * KafkaBasedLog reads its topics: no consumer group, so no join and no
 * `group.initial.rebalance.delay.ms` (3 s on a broker with default settings)
 * before the first record, and nothing left behind on the cluster.
 * read_committed: records of aborted transactions are dropped here, as the
 * Java consumer drops them, from the aborted transactions the broker lists.
 */
import { Consumer, FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka';

import { PipeError } from '../errors.js';
import { retry } from '../time/retry.js';
import { connectionOf, type Kafka } from './client.js';
import { PartitionRead } from './partition-read.js';
import { platformaticConnection } from './platformatic-connection.js';
import { canRetry, pipeErrorOf } from './platformatic-errors.js';
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

/** Per partition, at most this much per fetch: a state topic's records are small. */
const PARTITION_FETCH_BYTES = 8 * 1024 * 1024;

export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  options: ReadOptions = {},
): Promise<TopicRecord[]> {
  const timeoutMs = options.timeoutMs ?? 30000;
  const startedAt = Date.now();
  const consumer = new Consumer({
    ...platformaticConnection(connectionOf(kafka), 'state-reader'),
    // Required by the client's constructor; fetch requests never join it.
    groupId: 'pipe-state-reader',
    retries: 5,
    retryDelay: 200,
  });
  const fail = (err: unknown) => pipeErrorOf(connectionOf(kafka), err, `reading ${topic} failed`);
  try {
    // A topic created a moment ago may have no leader yet: the client's own
    // retries last a second, a loaded broker can take longer to elect one.
    const [starts, ends] = await retry(
      () =>
        Promise.all([
          consumer.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.EARLIEST }),
          consumer.listOffsets({
            topics: [topic],
            timestamp: ListOffsetTimestamps.LATEST,
            // The high watermark waits for transactions open now; the last stable offset does not.
            isolationLevel: options.stable
              ? FetchIsolationLevels.READ_UNCOMMITTED
              : FetchIsolationLevels.READ_COMMITTED,
          }),
        ]),
      { retries: 10, initialMs: 200, maxMs: 2000, retriable: canRetry },
    ).catch((err: unknown) => {
      throw fail(err);
    });
    const partitions = new Map<number, PartitionRead>();
    (ends.get(topic) ?? []).forEach((end, partition) => {
      const start = starts.get(topic)?.[partition] ?? 0n;
      if (end > start) partitions.set(partition, new PartitionRead(partition, start, end));
    });
    const records: TopicRecord[] = [];
    let refresh = false;
    while ([...partitions.values()].some((p) => !p.done)) {
      if (Date.now() - startedAt > timeoutMs)
        throw new PipeError('TIMEOUT', `reading ${topic} did not reach its end in ${timeoutMs} ms`, {
          retriable: true,
          meta: {
            topic,
            partitionsPending: [...partitions.values()].filter((p) => !p.done).map((p) => p.partition),
          },
        });
      const metadata = await consumer
        .metadata({ topics: [topic], forceUpdate: refresh })
        .catch((err: unknown) => {
          throw fail(err);
        });
      refresh = false;
      const described = metadata.topics.get(topic);
      if (described === undefined) throw fail(`no metadata for ${topic}`);
      const byLeader = new Map<number, PartitionRead[]>();
      for (const p of partitions.values()) {
        if (p.done) continue;
        const leader = described.partitions[p.partition]?.leader ?? -1;
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
      }
      await Promise.all(
        [...byLeader].map(async ([node, reads]) => {
          try {
            const response = await consumer.fetch({
              node,
              topics: [
                {
                  topicId: described.id,
                  partitions: reads.map((p) => ({
                    partition: p.partition,
                    currentLeaderEpoch: -1,
                    fetchOffset: p.position,
                    lastFetchedEpoch: -1,
                    partitionMaxBytes: PARTITION_FETCH_BYTES,
                  })),
                },
              ],
              isolationLevel: FetchIsolationLevels.READ_COMMITTED,
              maxWaitTime: 100,
              minBytes: 1,
              maxBytes: PARTITION_FETCH_BYTES * reads.length,
            });
            for (const answer of response.responses)
              for (const fetched of answer.partitions)
                partitions.get(fetched.partitionIndex)?.take(fetched, records);
          } catch (err) {
            // A leader moved or is not known yet: ask for metadata again and go on from the same positions.
            if (!canRetry(err)) throw fail(err);
            refresh = true;
          }
        }),
      );
    }
    records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
    return records;
  } finally {
    await consumer.close().catch(() => undefined);
  }
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
