/**
 * The consumer of sink tasks' records: a member of the connector's consumer
 * group on @platformatic/kafka (as data-producer.ts produces for sources),
 * fetching its assigned partitions itself. The client runs the group
 * protocol (join, sync, heartbeats, rejoining when the group rebalances);
 * positions, commits and partitions added to a topic are kept here, so a
 * sink commits only what its task flushed, as Kafka Connect's
 * WorkerSinkTask does.
 *
 * Positions advance only when `poll` hands records over, and the next
 * fetch goes out while the task writes the last one. A rebalance discards a
 * fetch in flight: a partition kept keeps its position (or the group's
 * committed offset, if another member moved it further), a partition gained
 * starts at the committed offset, or at the earliest record when the group
 * has none (Connect's `auto.offset.reset=earliest` for sinks).
 */
import {
  Admin,
  Consumer,
  FetchIsolationLevels,
  type GroupAssignment,
  ListOffsetTimestamps,
} from '@platformatic/kafka';
import type { KafkaConnection } from '../config/model.js';
import { PipeError } from '../errors.js';
import { type FetchedPartition, PartitionRead } from './partition-read.js';
import { platformaticConnection } from './platformatic-connection.js';
import { hasApiError, pipeErrorOf } from './platformatic-errors.js';

export type SinkHeaders = ReadonlyArray<readonly [Buffer | null, Buffer | null]>;

export interface SinkMessage {
  offset: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: SinkHeaders;
}

/** The records one poll took from one partition, in offset order. */
export interface SinkBatch {
  topic: string;
  partition: number;
  messages: SinkMessage[];
  /** The offset after the batch: what committing the batch stores. */
  next: bigint;
  /** Records in the partition after the batch, by its high watermark. */
  lag: number;
}

export interface SinkConsumerOptions {
  groupId: string;
  /** The topics to read, or a pattern whole topic names match (Connect's `topics.regex`). */
  topics: readonly string[] | RegExp;
  /** Suffix of the client id, so broker logs tell pipe's roles apart. */
  role: string;
}

/** How long a fetch waits on the broker for records: also how long a stop may wait for one. */
const FETCH_WAIT_MS = 500;
/** Kafka's consumer defaults: `max.partition.fetch.bytes` and `fetch.max.bytes`. */
const PARTITION_FETCH_BYTES = 1024 * 1024;
const FETCH_MAX_BYTES = 50 * 1024 * 1024;
/**
 * How often the group's leader reads its topics' partition counts (and every
 * member a pattern's topics) again: partitions added by `pipe apply` are
 * assigned at the rebalance a change starts.
 */
const METADATA_CHECK_MS = 5000;
/** kafkajs's group timings, which pipe's sinks had: a member killed is replaced within 30 s. */
const SESSION_TIMEOUT_MS = 30_000;
const REBALANCE_TIMEOUT_MS = 60_000;
const HEARTBEAT_INTERVAL_MS = 3000;
/** No offset past this is ever reached: a sink reads without an end. */
const NO_END = 2n ** 63n - 1n;

interface Owned {
  topic: string;
  partition: number;
  read: PartitionRead;
}

interface Round {
  /** The assignment the round fetched for: a round of an older one is dropped. */
  epoch: number;
  fetched: Array<{ owned: Owned; from: bigint; partition: FetchedPartition }>;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SinkConsumer {
  private readonly consumer: Consumer;
  private readonly positions = new Map<string, Owned>();
  private epoch = 0;
  private assignmentChanged = true;
  private prefetch: Promise<Round> | undefined;
  private leader = false;
  /** Partitions per topic when this member, as leader, last assigned them. */
  private countsAtJoin = new Map<string, number>();
  private lastCheck = 0;
  /** A rejoin the client gave up on (the broker away too long): joined again at the next poll. */
  private groupFailure: unknown;
  private admin: Admin | undefined;
  /** A partition had no leader in the metadata: the next round reads the metadata afresh. */
  private leaderless = false;

  constructor(
    private readonly conn: KafkaConnection,
    private readonly options: SinkConsumerOptions,
  ) {
    this.consumer = new Consumer({
      ...platformaticConnection(conn, options.role),
      groupId: options.groupId,
      sessionTimeout: SESSION_TIMEOUT_MS,
      rebalanceTimeout: REBALANCE_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      metadataMaxAge: METADATA_CHECK_MS,
      retries: 3,
      retryDelay: 200,
      autocommit: false,
    });
    this.consumer.on('consumer:group:join', ({ isLeader }) => {
      this.leader = isLeader === true;
      this.assignmentChanged = true;
      this.epoch++;
      // What the leader just assigned from: the client's metadata, read for the assignment.
      const metadata = this.consumer.currentMetadata;
      this.countsAtJoin = new Map(
        this.consumer.topics.current.map((t) => [t, metadata?.topics.get(t)?.partitionsCount ?? 0]),
      );
    });
    this.consumer.on('error', (err: unknown) => {
      this.groupFailure = err;
    });
  }

  /** Joins the group with the topics (or the pattern's topics as they are now). */
  async start(): Promise<void> {
    try {
      this.consumer.topics.trackAll(...(await this.subscription()));
      await this.consumer.joinGroup({});
      this.lastCheck = Date.now();
    } catch (err) {
      throw this.failure(err, `joining consumer group ${this.options.groupId} failed`);
    }
  }

  /**
   * The next records of the partitions this member is assigned, by
   * partition; empty when none came within the fetch wait, or when the
   * assignment changed meanwhile.
   */
  async poll(): Promise<SinkBatch[]> {
    try {
      await this.checkGroup();
      if (this.assignmentChanged) {
        this.prefetch = undefined;
        await this.takeAssignment();
      }
      const pending = this.prefetch ?? this.fetchRound();
      this.prefetch = undefined;
      const round = await pending;
      if (round.epoch !== this.epoch) return [];
      const batches = this.accept(round);
      this.prefetch = this.fetchRound();
      // Awaited by the next poll; until then its failure is not unhandled.
      this.prefetch.catch(() => undefined);
      return batches;
    } catch (err) {
      throw this.failure(err, `reading ${this.describeTopics()} for group ${this.options.groupId} failed`);
    }
  }

  /**
   * Stores each partition's next offset as the group's. Refused when the
   * group moved on (a rebalance): a retriable error, and whoever reads the
   * partition next reads those records again.
   */
  async commit(offsets: ReadonlyArray<{ topic: string; partition: number; next: bigint }>): Promise<void> {
    if (offsets.length === 0) return;
    try {
      await this.consumer.commit({
        offsets: offsets.map((o) => ({
          topic: o.topic,
          partition: o.partition,
          offset: o.next,
          leaderEpoch: -1,
        })),
      });
    } catch (err) {
      const failure = this.failure(err, `committing offsets of group ${this.options.groupId} failed`);
      if (failure.retriable || !isGroupMoved(err)) throw failure;
      throw new PipeError(failure.code, failure.message, { cause: err, retriable: true });
    }
  }

  /** Leaves the group, so its partitions move to the other members at once. */
  async close(): Promise<void> {
    await this.prefetch?.catch(() => undefined);
    this.prefetch = undefined;
    await this.admin?.close().catch(() => undefined);
    try {
      await this.consumer.close();
    } catch (err) {
      throw this.failure(err, `leaving consumer group ${this.options.groupId} failed`);
    }
  }

  private failure(err: unknown, what: string): PipeError {
    const failure = pipeErrorOf(this.conn, err, what);
    // A topic not there yet is waited for, as a Connect sink waits with no partitions of it.
    if (isUnknownTopic(err))
      return new PipeError(failure.code, failure.message, { cause: err, retriable: true });
    return failure;
  }

  private describeTopics(): string {
    const { topics } = this.options;
    return topics instanceof RegExp ? `topics matching ${topics.source}` : topics.join(', ');
  }

  private async subscription(): Promise<string[]> {
    const { topics } = this.options;
    if (!(topics instanceof RegExp)) return [...topics];
    this.admin ??= new Admin({ ...platformaticConnection(this.conn, `${this.options.role}-admin`) });
    return (await this.admin.listTopics()).filter((t) => topics.test(t)).sort();
  }

  /**
   * A rejoin the client gave up on is tried again; every few seconds the
   * leader rejoins when a topic has more partitions than it assigned, and a
   * member whose pattern matches other topics rejoins with them.
   */
  private async checkGroup(): Promise<void> {
    if (this.groupFailure !== undefined) {
      this.groupFailure = undefined;
      await this.consumer.joinGroup({});
    }
    if (Date.now() - this.lastCheck < METADATA_CHECK_MS) return;
    this.lastCheck = Date.now();
    const wanted = await this.subscription();
    const current = this.consumer.topics.current;
    if (wanted.join('\n') !== [...current].sort().join('\n')) {
      this.consumer.topics.untrackAll(...current.filter((t) => !wanted.includes(t)));
      this.consumer.topics.trackAll(...wanted.filter((t) => !current.includes(t)));
      await this.consumer.joinGroup({});
      return;
    }
    if (!this.leader || wanted.length === 0) return;
    const metadata = await this.consumer.metadata({ topics: wanted, forceUpdate: true });
    const grown = wanted.some(
      (t) => (metadata.topics.get(t)?.partitionsCount ?? 0) !== (this.countsAtJoin.get(t) ?? 0),
    );
    if (grown) await this.consumer.joinGroup({});
  }

  /** Positions for the partitions just assigned; the ones taken away are forgotten. */
  private async takeAssignment(): Promise<void> {
    while (this.assignmentChanged) {
      this.assignmentChanged = false;
      const epoch = this.epoch;
      const assignment: GroupAssignment[] = (this.consumer.assignments ?? []).filter(
        (a) => a.partitions.length > 0,
      );
      const assigned = new Set(assignment.flatMap((a) => a.partitions.map((p) => keyOf(a.topic, p))));
      for (const key of this.positions.keys()) if (!assigned.has(key)) this.positions.delete(key);
      if (assignment.length === 0) continue;
      try {
        const committed = await this.consumer.listCommittedOffsets({ topics: assignment });
        const missing = assignment
          .map((a) => ({
            topic: a.topic,
            partitions: a.partitions.filter((p) => (committed.get(a.topic)?.[p] ?? -1n) < 0n),
          }))
          .filter((a) => a.partitions.length > 0);
        const earliest = await this.offsetsAt(missing, ListOffsetTimestamps.EARLIEST);
        if (epoch !== this.epoch) continue;
        for (const { topic, partitions } of assignment)
          for (const partition of partitions) {
            const stored = committed.get(topic)?.[partition] ?? -1n;
            const start = stored >= 0n ? stored : (earliest.get(topic)?.[partition] ?? 0n);
            const key = keyOf(topic, partition);
            const kept = this.positions.get(key);
            if (kept && kept.read.position >= start) continue;
            this.positions.set(key, { topic, partition, read: new PartitionRead(partition, start, NO_END) });
          }
        this.epoch++;
      } catch (err) {
        this.assignmentChanged = true;
        throw err;
      }
    }
  }

  private async offsetsAt(topics: GroupAssignment[], timestamp: bigint): Promise<Map<string, bigint[]>> {
    if (topics.length === 0) return new Map();
    return this.consumer.listOffsets({
      topics: topics.map((t) => t.topic),
      partitions: Object.fromEntries(topics.map((t) => [t.topic, t.partitions])),
      timestamp,
    });
  }

  /** One fetch from each leader of the owned partitions, at their positions now. */
  private async fetchRound(): Promise<Round> {
    const epoch = this.epoch;
    const owned = [...this.positions.values()];
    if (owned.length === 0) {
      await sleep(FETCH_WAIT_MS);
      return { epoch, fetched: [] };
    }
    const metadata = await this.consumer.metadata({
      topics: [...new Set(owned.map((o) => o.topic))],
      forceUpdate: this.leaderless,
    });
    this.leaderless = false;
    const byLeader = new Map<number, Owned[]>();
    for (const o of owned) {
      const leader = metadata.topics.get(o.topic)?.partitions[o.partition]?.leader ?? -1;
      // A partition just created, or whose leader moved, has none yet: fetched once the metadata says which.
      if (!metadata.brokers.has(leader)) {
        this.leaderless = true;
        continue;
      }
      const list = byLeader.get(leader);
      if (list) list.push(o);
      else byLeader.set(leader, [o]);
    }
    if (byLeader.size === 0) {
      await sleep(FETCH_WAIT_MS);
      return { epoch, fetched: [] };
    }
    const fetched: Round['fetched'] = [];
    const outOfRange: Owned[] = [];
    await Promise.all(
      [...byLeader].map(async ([node, list]) => {
        const byTopic = new Map<string, Owned[]>();
        for (const o of list) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
        const from = new Map(list.map((o) => [o, o.read.position]));
        try {
          const response = await this.consumer.fetch({
            node,
            topics: [...byTopic].map(([topic, parts]) => ({
              topicId: metadata.topics.get(topic)?.id ?? '',
              partitions: parts.map((o) => ({
                partition: o.partition,
                currentLeaderEpoch: -1,
                fetchOffset: o.read.position,
                lastFetchedEpoch: -1,
                partitionMaxBytes: PARTITION_FETCH_BYTES,
              })),
            })),
            isolationLevel: FetchIsolationLevels.READ_COMMITTED,
            maxWaitTime: FETCH_WAIT_MS,
            minBytes: 1,
            maxBytes: FETCH_MAX_BYTES,
          });
          const topicOf = new Map([...byTopic.keys()].map((t) => [metadata.topics.get(t)?.id, t]));
          for (const answer of response.responses) {
            const topic = topicOf.get(answer.topicId);
            if (topic === undefined) continue;
            for (const partition of answer.partitions) {
              const o = this.positions.get(keyOf(topic, partition.partitionIndex));
              const start = o && from.get(o);
              if (o && start !== undefined) fetched.push({ owned: o, from: start, partition });
            }
          }
        } catch (err) {
          if (!hasApiError(err, 'OFFSET_OUT_OF_RANGE')) throw err;
          outOfRange.push(...list);
        }
      }),
    );
    if (outOfRange.length > 0) await this.resetToEarliest(outOfRange, epoch);
    return { epoch, fetched };
  }

  /**
   * A position the partition no longer holds (records deleted by retention
   * before this group read them, or a topic recreated): the partition goes on
   * from its earliest record, as Connect's sink consumers do.
   */
  private async resetToEarliest(owned: Owned[], epoch: number): Promise<void> {
    const byTopic = new Map<string, number[]>();
    for (const o of owned) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o.partition]);
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    const [earliest, latest] = await Promise.all([
      this.offsetsAt(topics, ListOffsetTimestamps.EARLIEST),
      this.offsetsAt(topics, ListOffsetTimestamps.LATEST),
    ]);
    if (epoch !== this.epoch) return;
    for (const o of owned) {
      const start = earliest.get(o.topic)?.[o.partition];
      const end = latest.get(o.topic)?.[o.partition];
      if (start === undefined || end === undefined) continue;
      if (o.read.position >= start && o.read.position <= end) continue;
      this.positions.set(keyOf(o.topic, o.partition), {
        topic: o.topic,
        partition: o.partition,
        read: new PartitionRead(o.partition, start, NO_END),
      });
    }
    this.epoch++;
  }

  /** The round's records, its partitions' positions moved past them. */
  private accept(round: Round): SinkBatch[] {
    const batches: SinkBatch[] = [];
    for (const { owned, from, partition } of round.fetched) {
      if (owned.read.position !== from) continue;
      const messages: SinkMessage[] = [];
      owned.read.visit(partition, (r, offset, batch) => {
        messages.push({
          offset,
          timestamp: Number(batch.firstTimestamp + r.timestampDelta),
          key: r.key,
          value: r.value,
          headers: r.headers,
        });
      });
      if (messages.length === 0) continue;
      const next = owned.read.position;
      batches.push({
        topic: owned.topic,
        partition: owned.partition,
        messages,
        next,
        lag: Math.max(0, Number(partition.highWatermark - next)),
      });
    }
    return batches;
  }
}

/** The client's words when the broker does not know a topic of the subscription. */
function isUnknownTopic(err: unknown): boolean {
  return err instanceof Error && /^Unknown topic /.test(err.message);
}

/** The group rebalanced under a commit: the member must rejoin, nothing is broken. */
function isGroupMoved(err: unknown): boolean {
  return ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID'].some((id) =>
    hasApiError(err, id),
  );
}

export function createSinkConsumer(conn: KafkaConnection, options: SinkConsumerOptions): SinkConsumer {
  return new SinkConsumer(conn, options);
}
