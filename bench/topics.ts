/** Topics the scenarios create for one side of one run, and remove after it. */
import type { Admin, Kafka } from '../src/kafka/client.js';

/**
 * A short-lived admin client per use: a kafkajs admin keeps refreshing the
 * metadata of every topic it ever touched, and fails once one is deleted.
 */
export async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A topic name no earlier run on the same broker used. */
export function benchTopic(scenario: string, side: string, run: number): string {
  return `bench-${scenario}-${side}-${run}-${Date.now().toString(36)}`;
}

/** Replication factor 1 and one partition unless the scenario is about partitions: the layout every side of a scenario uses. */
export async function createBenchTopic(kafka: Kafka, topic: string, partitions = 1): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      });
    } catch (err) {
      // Just after topics were deleted, a KRaft broker may answer the leader check with "does not host this
      // topic-partition" for a topic it did create: wait for its leader instead of failing the scenario.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const leader = await admin
          .fetchTopicMetadata({ topics: [topic] })
          .then((m) => {
            const found = m.topics[0]?.partitions ?? [];
            return found.length === partitions && found.every((p) => p.leader >= 0);
          })
          .catch(() => false);
        if (leader) return;
        if (Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
}

/** Deletes topics that exist among `names` and those starting with `prefixes`, keeping the broker's disk small. */
export async function deleteBenchTopics(
  kafka: Kafka,
  names: string[],
  prefixes: string[] = [],
): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = await admin.listTopics();
    const doomed = existing.filter((t) => names.includes(t) || prefixes.some((p) => t.startsWith(p)));
    for (let i = 0; i < doomed.length; i += 200) {
      await admin.deleteTopics({ topics: doomed.slice(i, i + 200), timeout: 60_000 }).catch(() => undefined);
    }
  });
}
