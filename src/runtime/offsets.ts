/**
 * A connector's offsets in Kafka Connect's REST shape (KIP-875, `GET
 * /connectors/{name}/offsets`), whichever runtime holds them: a source's
 * partitions and offsets are the connector's own JSON objects; a sink's are
 * its consumer group's committed offsets, `{"kafka_topic","kafka_partition"}`
 * → `{"kafka_offset"}`. Pure: the checks and the comparison the offsets
 * commands and a move between runtimes share.
 */
import type { ConnectorSpec } from '../config/model.js';
import { isPlainObject } from '../state/guards.js';

export interface ConnectorOffset {
  partition: Record<string, unknown>;
  /** null: the partition has (or is to have) no offset. */
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

export const KAFKA_TOPIC = 'kafka_topic';
export const KAFKA_PARTITION = 'kafka_partition';
export const KAFKA_OFFSET = 'kafka_offset';

/** A partition's identity whatever the order of its keys: Connect compares partitions as maps. */
export function partitionId(partition: Record<string, unknown>): string {
  return JSON.stringify(sortedKeys(partition));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys(value[k])]),
  );
}

export function sinkOffset(topic: string, partition: number, offset: number): ConnectorOffset {
  return {
    partition: { [KAFKA_TOPIC]: topic, [KAFKA_PARTITION]: partition },
    offset: { [KAFKA_OFFSET]: offset },
  };
}

/** Sorted as people read them: by partition, sinks by topic then partition number. */
export function sortOffsets(offsets: readonly ConnectorOffset[]): ConnectorOffset[] {
  const key = (o: ConnectorOffset) => {
    const p = o.partition;
    if (typeof p[KAFKA_TOPIC] === 'string' && typeof p[KAFKA_PARTITION] === 'number')
      return `${p[KAFKA_TOPIC]}\u0000${String(p[KAFKA_PARTITION]).padStart(10, '0')}`;
    return partitionId(p);
  };
  return [...offsets].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One partition's offset before and after a change; `after: null` removes it. */
export interface OffsetChange {
  partition: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * What writing `wanted` over `current` changes: partitions whose offset
 * differs, in the order given. `reset` removes every current offset.
 */
export function offsetChanges(
  current: readonly ConnectorOffset[],
  wanted: readonly ConnectorOffset[] | 'reset',
): OffsetChange[] {
  const byId = new Map(current.map((o) => [partitionId(o.partition), o.offset]));
  if (wanted === 'reset') {
    return sortOffsets(current)
      .filter((o) => o.offset !== null)
      .map((o) => ({ partition: o.partition, before: o.offset, after: null }));
  }
  const changes: OffsetChange[] = [];
  for (const o of wanted) {
    const before = byId.get(partitionId(o.partition)) ?? null;
    if (JSON.stringify(sortedKeys(before)) === JSON.stringify(sortedKeys(o.offset))) continue;
    changes.push({ partition: o.partition, before, after: o.offset });
  }
  return changes;
}

/** A problem with one entry of an offsets list: its index, the field at fault under it, and what is wrong. */
export interface OffsetProblem {
  index: number;
  /** Relative to the entry: `partition.kafka_partition`, `offset.position`. */
  field: string;
  message: string;
}

/** What the checks know of the connector's world: its sink topics' partition counts. */
export interface OffsetFacts {
  /** Partitions of each topic a sink reads, by topic; a topic missing here does not exist. */
  partitions?: ReadonlyMap<string, number>;
  /** The source partitions the connector has offsets for now. */
  currentPartitions?: readonly Record<string, unknown>[];
}

function nonNegativeInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

type Spec = Pick<ConnectorSpec, 'kind' | 'name' | 'connector' | 'config' | 'topics' | 'topicsRegex'>;

function checkSink(spec: Spec, o: ConnectorOffset, index: number, facts: OffsetFacts): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  const topic = o.partition[KAFKA_TOPIC];
  const partition = nonNegativeInteger(o.partition[KAFKA_PARTITION]);
  const extra = Object.keys(o.partition).filter((k) => k !== KAFKA_TOPIC && k !== KAFKA_PARTITION);
  if (typeof topic !== 'string' || topic === '')
    problems.push({ index, field: `partition.${KAFKA_TOPIC}`, message: 'a sink partition names its topic' });
  if (partition === undefined)
    problems.push({
      index,
      field: `partition.${KAFKA_PARTITION}`,
      message: 'a sink partition has a partition number (0 or more)',
    });
  for (const k of extra)
    problems.push({
      index,
      field: `partition.${k}`,
      message: `a sink partition has only ${KAFKA_TOPIC} and ${KAFKA_PARTITION}`,
    });
  if (o.offset !== null) {
    if (nonNegativeInteger(o.offset[KAFKA_OFFSET]) === undefined)
      problems.push({
        index,
        field: `offset.${KAFKA_OFFSET}`,
        message: 'a sink offset is {"kafka_offset": <0 or more>}, or null to remove it',
      });
  }
  if (typeof topic !== 'string' || partition === undefined) return problems;
  const reads = spec.topicsRegex
    ? new RegExp(`^(?:${spec.topicsRegex})$`).test(topic)
    : (spec.topics ?? []).includes(topic);
  if (!reads) {
    problems.push({
      index,
      field: `partition.${KAFKA_TOPIC}`,
      message: `sink ${spec.name} does not read topic ${topic} (it reads ${spec.topicsRegex ? `topics matching ${spec.topicsRegex}` : (spec.topics ?? []).join(', ')})`,
    });
    return problems;
  }
  const count = facts.partitions?.get(topic);
  if (facts.partitions && count === undefined)
    problems.push({ index, field: `partition.${KAFKA_TOPIC}`, message: `topic ${topic} does not exist` });
  else if (count !== undefined && partition >= count)
    problems.push({
      index,
      field: `partition.${KAFKA_PARTITION}`,
      message: `topic ${topic} has no partition ${partition} (it has ${count}: 0 to ${count - 1})`,
    });
  return problems;
}

/**
 * A source partition the connector has: the file source's one partition is
 * `{"filename": <its file as configured>}`; for other sources, pipe knows
 * only the partitions they have offsets for already.
 */
function checkSource(spec: Spec, o: ConnectorOffset, index: number, facts: OffsetFacts): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  if (spec.connector === 'file') {
    const file = spec.config['file'];
    if (o.partition['filename'] !== file || Object.keys(o.partition).length !== 1) {
      problems.push({
        index,
        field: 'partition',
        message: `source ${spec.name} has one partition, {"filename":${JSON.stringify(file)}}`,
      });
    }
    if (o.offset !== null && nonNegativeInteger(o.offset['position']) === undefined) {
      problems.push({
        index,
        field: 'offset.position',
        message: 'a file source offset is {"position": <byte position, 0 or more>}, or null to remove it',
      });
    }
    return problems;
  }
  const known = new Set((facts.currentPartitions ?? []).map(partitionId));
  if (!known.has(partitionId(o.partition))) {
    problems.push({
      index,
      field: 'partition',
      message: `source ${spec.name} has no partition ${JSON.stringify(o.partition)}${
        known.size > 0
          ? ` (it has ${[...(facts.currentPartitions ?? [])].map((p) => JSON.stringify(p)).join(', ')})`
          : ' (it has no offsets yet)'
      }`,
    });
  }
  return problems;
}

/** Every problem with offsets meant for this connector: shapes Connect would refuse, and partitions it does not have. */
export function checkOffsets(
  spec: Spec,
  offsets: readonly ConnectorOffset[],
  facts: OffsetFacts = {},
): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  const seen = new Map<string, number>();
  offsets.forEach((o, index) => {
    const id = partitionId(o.partition);
    const first = seen.get(id);
    if (first !== undefined)
      problems.push({ index, field: 'partition', message: `the same partition as entry ${first}` });
    seen.set(id, index);
    problems.push(
      ...(spec.kind === 'sink' ? checkSink(spec, o, index, facts) : checkSource(spec, o, index, facts)),
    );
  });
  return problems;
}
