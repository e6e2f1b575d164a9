/**
 * The embedded runtime's offsets where they live: source offsets in the
 * project's offsets topic (Kafka Connect's records: key
 * `["<connector>",{partition}]`, value the offset JSON, null deletes) or in
 * the worker's offset file; sink offsets as the committed offsets of the
 * consumer group `connect-<name>`, as Connect keeps them.
 */
import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { messageOf, PipeError } from '../errors.js';
import type { Admin, Kafka } from '../kafka/client.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import { offsetFileText, readOffsetFile } from '../state/offset-file.js';
import { foldOffsetsTopic } from '../state/offsets-topic.js';
import { decodeOffsetKey, offsetKey } from '../state/records.js';
import { retry } from '../time/retry.js';
import {
  type ConnectorOffset,
  KAFKA_OFFSET,
  KAFKA_PARTITION,
  KAFKA_TOPIC,
  partitionId,
  sinkOffset,
  sortOffsets,
} from './offsets.js';
import type { OffsetsSpec } from './runtime.js';

export const sinkGroup = (name: string) => `connect-${name}`;

function kafkaFailure(what: string, err: unknown): PipeError {
  return new PipeError('KAFKA_REQUEST', `${what} failed: ${messageOf(err)}`, { cause: err, retriable: true });
}

/** A source's offsets as the offsets topic holds them, each with its key's exact text. */
export async function topicSourceOffsets(
  kafka: Kafka,
  topic: string,
  connector: string,
): Promise<Array<ConnectorOffset & { key: string }>> {
  const { offsets } = foldOffsetsTopic(topic, await readTopicToEnd(kafka, topic));
  return [...offsets.values()]
    .filter((r) => r.connector === connector && r.offset !== null)
    .map((r) => ({ key: r.key, partition: r.partition, offset: r.offset }));
}

/**
 * The records that write `offsets` over the current ones. A partition that has
 * an offset keeps its key's exact bytes, whatever the order of the keys given:
 * the key picks the topic partition and compaction matches on it.
 */
export function offsetRecords(
  connector: string,
  current: ReadonlyArray<ConnectorOffset & { key: string }>,
  offsets: readonly ConnectorOffset[],
): Array<{ key: Buffer; value: Buffer | null }> {
  const keys = new Map(current.map((c) => [partitionId(c.partition), c.key]));
  return offsets.map((o) => {
    const existing = keys.get(partitionId(o.partition));
    return {
      key: existing === undefined ? offsetKey(connector, o.partition) : Buffer.from(existing, 'utf8'),
      value: o.offset === null ? null : Buffer.from(JSON.stringify(o.offset), 'utf8'),
    };
  });
}

/* ---------- the worker's offset file (worker.offsetStorage: file) ---------- */

export async function fileSourceOffsets(
  path: string,
  connector: string,
): Promise<Array<ConnectorOffset & { key: string }>> {
  const offsets = await readOffsetFile(path);
  return Object.entries(offsets).flatMap(([key, offset]) => {
    const id = decodeOffsetKey(Buffer.from(key, 'utf8'));
    return id?.connector === connector ? [{ key, partition: id.partition, offset }] : [];
  });
}

/** Rewrites the offset file with these records applied, atomically (a temporary file renamed over it). */
export async function writeOffsetFile(
  path: string,
  records: ReadonlyArray<{ key: Buffer; value: Buffer | null }>,
): Promise<void> {
  const offsets = await readOffsetFile(path);
  for (const r of records) {
    const key = r.key.toString('utf8');
    if (r.value === null) delete offsets[key];
    else offsets[key] = JSON.parse(r.value.toString('utf8'));
  }
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, offsetFileText(offsets));
  await rename(temp, path);
}

/* ---------- sinks: the consumer group ---------- */

/** The topics the sink reads that exist: those it names, or those its pattern matches. */
async function sinkTopics(admin: Admin, spec: OffsetsSpec): Promise<string[]> {
  let existing: string[];
  try {
    existing = await retry(() => admin.listTopics());
  } catch (err) {
    throw kafkaFailure('listing topics', err);
  }
  if (!spec.topicsRegex) return (spec.topics ?? []).filter((t) => existing.includes(t));
  const pattern = new RegExp(`^(?:${spec.topicsRegex})$`);
  return existing.filter((t) => pattern.test(t));
}

/** The group's committed offsets for the sink's topics (those that exist); a partition with none is left out, as Connect does. */
export async function sinkOffsets(admin: Admin, spec: OffsetsSpec): Promise<ConnectorOffset[]> {
  const topics = await sinkTopics(admin, spec);
  if (topics.length === 0) return [];
  let fetched: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  try {
    fetched = await retry(() => admin.fetchOffsets({ groupId: sinkGroup(spec.name), topics }));
  } catch (err) {
    throw kafkaFailure(`reading the offsets of consumer group ${sinkGroup(spec.name)}`, err);
  }
  return sortOffsets(
    fetched.flatMap(({ topic, partitions }) =>
      partitions
        .filter((p) => Number(p.offset) >= 0)
        .map((p) => sinkOffset(topic, p.partition, Number(p.offset))),
    ),
  );
}

export function groupErrorType(err: unknown): string | undefined {
  const e = err as { type?: string; groups?: Array<{ error?: { type?: string } }> };
  return e.groups?.[0]?.error?.type ?? e.type;
}

/**
 * The answers (kafkajs's names for codes 14, 15 and 16) of a group coordinator
 * that is still loading its groups (as when the first group request of a fresh
 * cluster has just created __consumer_offsets) or has moved: a later request
 * may succeed.
 */
const COORDINATOR_NOT_READY = new Set([
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
]);

/** Deletes a consumer group: false when there is none; other refusals (a group with members) are thrown. */
export async function deleteGroup(admin: Admin, group: string): Promise<boolean> {
  try {
    await retry(() => admin.deleteGroups([group]), {
      retriable: (err) => COORDINATOR_NOT_READY.has(groupErrorType(err) ?? ''),
    });
    return true;
  } catch (err) {
    if (groupErrorType(err) === 'GROUP_ID_NOT_FOUND') return false;
    throw err;
  }
}

function groupBusy(group: string, err: unknown): PipeError {
  return new PipeError(
    'CONNECTOR_RUNNING',
    `consumer group ${group} still has members, so its offsets cannot change: ${messageOf(err)}`,
    {
      cause: err,
      meta: { hint: 'a worker still runs the sink: wait until it has stopped it, then try again' },
    },
  );
}

/** Deletes the sink's consumer group (Connect's reset of a sink); a group already gone is fine. */
export async function deleteSinkGroup(admin: Admin, name: string): Promise<boolean> {
  const group = sinkGroup(name);
  try {
    return await deleteGroup(admin, group);
  } catch (err) {
    if (groupErrorType(err) === 'NON_EMPTY_GROUP') throw groupBusy(group, err);
    throw kafkaFailure(`deleting consumer group ${group}`, err);
  }
}

/**
 * Writes a sink's group offsets. A null offset removes the partition's
 * commit: the group is deleted and the offsets that remain are committed
 * again, since Kafka's client here has no request that deletes one
 * partition's commit.
 */
export async function alterSinkOffsets(
  admin: Admin,
  spec: OffsetsSpec,
  offsets: readonly ConnectorOffset[],
): Promise<void> {
  const group = sinkGroup(spec.name);
  const wanted = new Map<string, ConnectorOffset>();
  const removes = offsets.some((o) => o.offset === null);
  if (removes) for (const o of await sinkOffsets(admin, spec)) wanted.set(partitionId(o.partition), o);
  for (const o of offsets) wanted.set(partitionId(o.partition), o);
  if (removes) await deleteSinkGroup(admin, spec.name);
  const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const o of wanted.values()) {
    if (o.offset === null) continue;
    const topic = String(o.partition[KAFKA_TOPIC]);
    const list = byTopic.get(topic) ?? [];
    list.push({ partition: Number(o.partition[KAFKA_PARTITION]), offset: String(o.offset[KAFKA_OFFSET]) });
    byTopic.set(topic, list);
  }
  for (const [topic, partitions] of byTopic) {
    try {
      await admin.setOffsets({ groupId: group, topic, partitions });
    } catch (err) {
      if (/no running instances/i.test(messageOf(err))) throw groupBusy(group, err);
      throw kafkaFailure(`setting the offsets of consumer group ${group}`, err);
    }
  }
}
