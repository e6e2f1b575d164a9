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
