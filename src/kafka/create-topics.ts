/**
 * Topic creation that returns only once every partition has a leader.
 * kafkajs's own `waitForLeaders` gives up after a few hundred milliseconds
 * with UNKNOWN_TOPIC_OR_PARTITION when the broker's metadata cache lags the
 * controller, which happens under concurrent creates; this waits it out.
 */
import { messageOf, PipeError } from '../errors.js';
import { waitUntil } from '../time/wait-until.js';
import type { Admin } from './client.js';

export interface NewTopic {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: Array<{ name: string; value: string }>;
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as { type?: string; errors?: unknown[] };
  if (e?.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every(isAlreadyExists);
}

/** Waits until each topic's metadata shows `partitions` partitions (when given), all with a leader. */
export async function waitForTopics(
  admin: Admin,
  topics: Array<{ topic: string; partitions?: number }>,
  timeoutMs = 30000,
): Promise<void> {
  if (topics.length === 0) return;
  let last = '';
  const ready = await waitUntil(
    async () => {
      try {
        const meta = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
        const byName = new Map(meta.topics.map((t) => [t.name, t.partitions]));
        const notReady = topics.filter(({ topic, partitions }) => {
          const parts = byName.get(topic);
          if (!parts || parts.length === 0) return true;
          if (partitions !== undefined && parts.length < partitions) return true;
          return parts.some((p) => p.leader < 0);
        });
        if (notReady.length === 0) return true;
        last = `not ready: ${notReady.map((t) => t.topic).join(', ')}`;
      } catch (err) {
        last = messageOf(err);
      }
      return undefined;
    },
    { timeoutMs },
  );
  if (!ready) {
    throw new PipeError('TIMEOUT', `topics did not get partition leaders in ${timeoutMs} ms (${last})`, {
      retriable: true,
    });
  }
}

/**
 * Creates the topics and waits for their leaders. With `ignoreExisting`, a
 * topic that already exists counts as created (another process raced us).
 */
export async function createTopicsAndWait(
  admin: Admin,
  topics: NewTopic[],
  options: { ignoreExisting?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  if (topics.length === 0) return;
  try {
    await admin.createTopics({ waitForLeaders: false, topics });
  } catch (err) {
    if (!(options.ignoreExisting && isAlreadyExists(err))) throw err;
  }
  await waitForTopics(
    admin,
    topics.map((t) => ({ topic: t.topic, partitions: t.numPartitions })),
    options.timeoutMs,
  );
}
