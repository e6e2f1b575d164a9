/**
 * The apply lock: a lease kept as `lock` records in the project's configs
 * topic. That topic has one partition, so its log is a total order every
 * applier sees the same way: replaying the lock records decides who holds the
 * lease, with no compare-and-set needed from Kafka. See docs/PLAN.md.
 *
 * - A claim `{id, holder, since, expiresAt}` wins when, at its place in the
 *   log, nobody holds a live lease (none yet, released, or expired before the
 *   claim was made). Later claims by others are ignored by every reader.
 * - The holder renews the lease (same id, later expiresAt) while it works, and
 *   releases it with a tombstone at the end.
 * - A crashed holder stops renewing: its lease expires and the next claim wins.
 *
 * `leaseHolder` is the rule alone, pure, so a plan can say that an apply is in
 * progress; `acquireLock` takes, renews and releases the lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { messageOf, PipeError } from '../errors.js';
import type { Kafka, Producer } from '../kafka/client.js';
import { readTopicToEnd, type TopicRecord } from '../kafka/read-topic.js';
import { retry } from '../time/retry.js';
import { decodeConfigRecord } from './configs-topic.js';
import { configKey, encodeJson, type LockRecord } from './records.js';

const LOCK_TTL_MS = 30_000;

export interface LockOptions {
  kafka: Kafka;
  producer: Producer;
  /** The project's configs topic. */
  topic: string;
  project: string;
  holder?: string;
  ttlMs?: number;
  now?: () => Date;
  id?: string;
}

export interface LockHandle {
  lease: LockRecord;
  /** The configs topic as read right after the lease was won, for planning without reading it again. */
  records: TopicRecord[];
  /**
   * Throws LOCKED when the lease may have run out: no renewal was written in
   * time (a process suspended longer than the lease, a cluster that refused
   * the writes), so another apply may hold it now.
   */
  assertHeld(): void;
  release(): Promise<void>;
}

function defaultHolder(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): the host and pid still identify the applier
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

function lockedError(project: string, holder: LockRecord): PipeError {
  return new PipeError(
    'LOCKED',
    `project ${project} is locked by ${holder.holder} since ${holder.since} (lock id ${holder.id}): another apply is running`,
    {
      meta: {
        lockId: holder.id,
        holder: holder.holder,
        since: holder.since,
        expiresAt: holder.expiresAt,
        hint: `wait for that apply to finish and try again; if it crashed, its lease expires by itself at ${holder.expiresAt}`,
        remedies: ['force_unlock'],
      },
    },
  );
}

/** The readable `lock` records of the configs topic, in log order (a foreign record is skipped as everywhere). */
function locksIn(topic: string, records: readonly TopicRecord[]): Array<LockRecord | null> {
  const locks: Array<LockRecord | null> = [];
  for (const r of records) {
    const decoded = decodeConfigRecord({ topic, partition: r.partition, offset: r.offset }, r.key, r.value);
    if (decoded.ok && decoded.record.kind === 'lock') locks.push(decoded.record.value);
  }
  return locks;
}

/** Who holds the lease after these records, as of `now`; undefined when it is free. */
export function leaseHolder(locks: ReadonlyArray<LockRecord | null>, now: Date): LockRecord | undefined {
  let holder: LockRecord | undefined;
  for (const record of locks) {
    if (record === null) holder = undefined;
    else if (holder?.id === record.id) holder = record;
    else if (!holder || Date.parse(holder.expiresAt) <= Date.parse(record.since)) holder = record;
  }
  if (holder && Date.parse(holder.expiresAt) > now.getTime()) return holder;
  return undefined;
}

export async function acquireLock(options: LockOptions): Promise<LockHandle> {
  const { kafka, producer, topic, project } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? LOCK_TTL_MS;
  const id = options.id ?? randomUUID();
  const write = (value: LockRecord | null) =>
    retry(() =>
      producer.send({ topic, acks: -1, messages: [{ key: configKey.lock(), value: encodeJson(value) }] }),
    );

  const before = leaseHolder(locksIn(topic, await readTopicToEnd(kafka, topic)), now());
  if (before) throw lockedError(project, before);

  const since = now();
  const claim: LockRecord = {
    id,
    holder: options.holder ?? defaultHolder(),
    since: since.toISOString(),
    expiresAt: new Date(since.getTime() + ttlMs).toISOString(),
  };
  await write(claim);
  const records = await readTopicToEnd(kafka, topic);
  const winner = leaseHolder(locksIn(topic, records), now());
  if (winner?.id !== id) {
    throw winner
      ? lockedError(project, winner)
      : new PipeError('LOCKED', `the lease of project ${project} could not be confirmed`, {
          retriable: true,
        });
  }

  let lease = claim;
  /** The expiry of the last lease known to be written: what others see. */
  let heldUntil = Date.parse(claim.expiresAt);
  let renewal: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      lease = { ...lease, expiresAt: new Date(now().getTime() + ttlMs).toISOString() };
      const renewed = lease;
      // A failed renewal is retried at the next tick; the lease has two more ticks before it runs out.
      renewal = write(renewed).then(
        () => {
          heldUntil = Math.max(heldUntil, Date.parse(renewed.expiresAt));
        },
        () => undefined,
      );
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();

  return {
    lease: claim,
    records,
    assertHeld() {
      if (now().getTime() < heldUntil) return;
      throw new PipeError(
        'LOCKED',
        `the apply lease of project ${project} ran out at ${new Date(heldUntil).toISOString()} before it could be renewed: another apply may hold it now`,
        { meta: { hint: 'nothing more was changed; run apply again: it plans from the cluster as it is' } },
      );
    },
    async release() {
      clearInterval(timer);
      await renewal;
      try {
        const current = leaseHolder(locksIn(topic, await readTopicToEnd(kafka, topic)), now());
        // A lease that expired and was taken over is not ours to end.
        if (current?.id === id) await write(null);
      } catch (err) {
        throw new PipeError('KAFKA_REQUEST', `releasing the apply lock failed: ${messageOf(err)}`, {
          cause: err,
          retriable: true,
          meta: { hint: `the lease expires by itself at ${lease.expiresAt}` },
        });
      }
    },
  };
}
