/**
 * Creates the project's compacted state topics when they are missing. Safe to
 * call from every apply and every worker start: existing topics are left as
 * they are.
 */
import type { StateSettings } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import type { Admin } from '../kafka/client.js';
import { createTopicsAndWait } from '../kafka/create-topics.js';
import { STATE_TOPIC_PARTITIONS, type StateTopicNames, stateTopicNames } from './records.js';

/**
 * Compaction only cleans closed segments, and a topic's segment closes after
 * a week by default. The status topic takes a record per task every few
 * seconds and every plan reads it whole, so its segments roll every ten
 * minutes to keep it near one record per key.
 */
const TOPIC_CONFIGS: Record<keyof StateTopicNames, Array<{ name: string; value: string }>> = {
  configs: [{ name: 'cleanup.policy', value: 'compact' }],
  offsets: [{ name: 'cleanup.policy', value: 'compact' }],
  status: [
    { name: 'cleanup.policy', value: 'compact' },
    { name: 'segment.ms', value: '600000' },
    { name: 'min.cleanable.dirty.ratio', value: '0.1' },
  ],
};

export async function existingStateTopics(admin: Admin, settings: StateSettings): Promise<Set<string>> {
  const names = stateTopicNames(settings.topicPrefix);
  const all = new Set(await admin.listTopics());
  return new Set(Object.values(names).filter((n) => all.has(n)));
}

export async function ensureStateTopics(admin: Admin, settings: StateSettings): Promise<StateTopicNames> {
  const names = stateTopicNames(settings.topicPrefix);
  const existing = await existingStateTopics(admin, settings);
  const missing = (Object.keys(names) as Array<keyof StateTopicNames>).filter((k) => !existing.has(names[k]));
  if (missing.length === 0) return names;
  try {
    await createTopicsAndWait(
      admin,
      missing.map((k) => ({
        topic: names[k],
        numPartitions: STATE_TOPIC_PARTITIONS[k],
        replicationFactor: settings.replicationFactor,
        configEntries: TOPIC_CONFIGS[k],
      })),
      { ignoreExisting: true },
    );
  } catch (err) {
    // Another apply or worker may have created them a moment earlier.
    const after = await existingStateTopics(admin, settings);
    if (after.size !== Object.keys(names).length) {
      throw new PipeError(
        'KAFKA_REQUEST',
        `could not create the state topics ${missing.map((k) => names[k]).join(', ')}: ${messageOf(err)}`,
        {
          cause: err,
          meta: {
            hint: 'the principal pipe uses needs CREATE on the cluster or on topics with the state prefix',
          },
        },
      );
    }
  }
  return names;
}
