/**
 * Small admin reads the worker's REST API answers with: the cluster's id
 * (Connect's `GET /`) and a consumer group's committed offsets (a sink's
 * `GET /connectors/{name}/offsets`). One short-lived admin client per read:
 * they are rare, operator-driven requests.
 */
import type { Kafka } from './client.js';

async function withAdmin<T>(
  kafka: Kafka,
  read: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await read(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function readClusterId(kafka: Kafka): Promise<string> {
  return withAdmin(kafka, async (admin) => (await admin.describeCluster()).clusterId);
}

export interface GroupOffset {
  topic: string;
  partition: number;
  /** As the broker gives it: a 64-bit number in text. */
  offset: string;
}

/** The group's committed offsets, every topic it committed on; partitions without one are left out. */
export function readGroupOffsets(kafka: Kafka, groupId: string): Promise<GroupOffset[]> {
  return withAdmin(kafka, async (admin) => {
    const topics = await admin.fetchOffsets({ groupId });
    return topics.flatMap(({ topic, partitions }) =>
      partitions
        .filter((p) => BigInt(p.offset) >= 0n)
        .map((p) => ({ topic, partition: p.partition, offset: p.offset })),
    );
  });
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: bigint;
}

/**
 * A group's lag on every partition of the topics, as kafka-consumer-groups
 * counts it: the log's end minus the committed offset, and where the group
 * committed none (a partition it has not read yet, one just added), the
 * whole log from its start. Topics that do not exist are left out.
 */
export function readGroupLag(kafka: Kafka, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  return withAdmin(kafka, async (admin) => {
    const committed = new Map<string, bigint>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics }))
      for (const p of partitions) committed.set(`${topic}\u0000${p.partition}`, BigInt(p.offset));
    const lags: PartitionLag[] = [];
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic).catch(() => []);
      for (const { partition, low, high } of ends) {
        const offset = committed.get(`${topic}\u0000${partition}`) ?? -1n;
        const from = offset >= 0n ? offset : BigInt(low);
        const lag = BigInt(high) - from;
        lags.push({ topic, partition, lag: lag > 0n ? lag : 0n });
      }
    }
    return lags;
  });
}
