/**
 * Reads topics as Kafka holds them, for many topics in a handful of requests:
 * one metadata request and one describeConfigs for all of them, whatever
 * their number.
 */
import { messageOf, PipeError } from '../errors.js';
import type { Admin } from '../kafka/client.js';
import { retry } from '../time/retry.js';
import type { ActualTopic } from './model.js';

/** kafkajs's ConfigResourceTypes.TOPIC and ConfigSource.TOPIC_CONFIG (the wire protocol's numbers). */
const RESOURCE_TOPIC = 2;
const SOURCE_TOPIC_CONFIG = 1;

/**
 * Only a topic's own overrides count: a value that comes from the broker's
 * defaults (static, dynamic or built in) is not the topic's, so it never shows
 * as drift and removing an override means going back to it.
 */
function isTopicOverride(entry: { isDefault: boolean; configSource: number }): boolean {
  return !entry.isDefault && entry.configSource === SOURCE_TOPIC_CONFIG;
}

/** Every config key the broker reports for `topic`: its whole topic config, defaults included. */
export async function readTopicConfigKeys(admin: Admin, topic: string): Promise<string[]> {
  try {
    const { resources } = await retry(() =>
      admin.describeConfigs({ includeSynonyms: false, resources: [{ type: RESOURCE_TOPIC, name: topic }] }),
    );
    return [...new Set(resources.flatMap((r) => r.configEntries.map((e) => e.configName)))].sort();
  } catch (err) {
    throw new PipeError(
      'KAFKA_REQUEST',
      `reading the config keys of topic ${topic} failed: ${messageOf(err)}`,
      {
        cause: err,
        retriable: true,
      },
    );
  }
}

export async function readTopics(
  admin: Admin,
  names: readonly string[],
): Promise<Record<string, ActualTopic>> {
  if (names.length === 0) return {};
  try {
    const [metadata, configs] = await Promise.all([
      retry(() => admin.fetchTopicMetadata({ topics: [...names] })),
      retry(() =>
        admin.describeConfigs({
          includeSynonyms: false,
          resources: names.map((name) => ({ type: RESOURCE_TOPIC, name })),
        }),
      ),
    ]);
    const overrides = new Map(
      configs.resources.map((r) => [
        r.resourceName,
        Object.fromEntries(
          r.configEntries
            .filter(isTopicOverride)
            .map((e) => [e.configName, e.configValue] as [string, string])
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        ),
      ]),
    );
    const topics: Record<string, ActualTopic> = {};
    for (const t of [...metadata.topics].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      topics[t.name] = {
        name: t.name,
        partitions: t.partitions.length,
        replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        config: overrides.get(t.name) ?? {},
      };
    }
    return topics;
  } catch (err) {
    if (err instanceof PipeError) throw err;
    throw new PipeError('KAFKA_REQUEST', `reading topics failed: ${messageOf(err)}`, {
      cause: err,
      retriable: true,
    });
  }
}
