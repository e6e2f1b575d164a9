/**
 * What a producer must know of a topic before it sends: whether it exists,
 * its partitions, and the largest record batch the broker accepts for it
 * (`max.message.bytes`, the topic's own or the broker's default). Read with
 * a metadata request for all topics (naming one could auto-create it on a
 * broker that allows that) and one describeConfigs.
 */
import type { Admin } from './client.js';

export interface TopicFacts {
  partitions: number;
  maxMessageBytes: number | undefined;
  /** The broker leading each partition (by partition number), when the metadata named one. */
  leaders?: ReadonlyArray<number | undefined>;
}

const RESOURCE_TOPIC = 2;

/** The topic's facts, or undefined when the cluster has no such topic. */
export async function readTopicFacts(admin: Admin, topic: string): Promise<TopicFacts | undefined> {
  const { topics } = await admin.fetchTopicMetadata();
  const found = topics.find((t) => t.name === topic);
  if (!found) return undefined;
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: RESOURCE_TOPIC, name: topic, configNames: ['max.message.bytes'] }],
  });
  const value = configs.resources[0]?.configEntries.find(
    (e) => e.configName === 'max.message.bytes',
  )?.configValue;
  const max = value === undefined ? Number.NaN : Number(value);
  const leaders: Array<number | undefined> = [];
  for (const p of found.partitions) leaders[p.partitionId] = p.leader >= 0 ? p.leader : undefined;
  return {
    partitions: found.partitions.length,
    maxMessageBytes: Number.isFinite(max) ? max : undefined,
    leaders,
  };
}
