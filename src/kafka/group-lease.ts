/**
 * One holder at a time among processes, by Kafka's own group protocol: each
 * process joins a consumer group subscribed to a one-partition topic, and the
 * member the partition is assigned to holds the lease. A member that dies is
 * dropped by the group coordinator after the session timeout, and the
 * partition moves to another member; a member that leaves cleanly hands it
 * over at once. The assigner keeps the partition with its holder when others
 * join (each member says in its metadata whether it holds the lease, and the
 * oldest member is chosen when none does), so a standby starting never takes
 * the lease from a running holder.
 */
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import type { Consumer, Kafka } from './client.js';

export interface GroupLeaseOptions {
  groupId: string;
  /** A topic with exactly one partition; its records are not read for anything. */
  topic: string;
  /** How long a dead holder keeps the lease (the broker allows 6 s to 30 min). */
  sessionTimeoutMs: number;
  /** Called on every change: holder or not. */
  onChange: (held: boolean) => void;
  /** Called when the group cannot be reached; the lease counts as lost until the next join. */
  onTrouble: (message: string) => void;
}

export interface GroupLease {
  readonly held: boolean;
  /** Resolves once the first join said whether this member holds the lease. */
  readonly decided: Promise<void>;
  /** Leaves the group, handing the lease to another member at once. */
  release(): Promise<void>;
}

interface Claim {
  held: boolean;
  since: number;
}

function leaseAssigner(topic: string, claim: () => Claim): PartitionAssigner {
  return () => ({
    name: 'pipe-lease',
    version: 1,
    protocol: ({ topics }) => ({
      name: 'pipe-lease',
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.from(JSON.stringify(claim())),
      }),
    }),
    async assign({ members }) {
      const claims = members.map((m) => {
        let c: Partial<Claim> = {};
        try {
          c = JSON.parse(
            AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData.toString() ?? '{}',
          );
        } catch {
          // a member of another version: it never holds the lease
        }
        return {
          memberId: m.memberId,
          held: c.held === true,
          since: typeof c.since === 'number' ? c.since : Infinity,
        };
      });
      const holder =
        claims.find((c) => c.held) ??
        [...claims].sort((a, b) => a.since - b.since || a.memberId.localeCompare(b.memberId))[0];
      return members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: m.memberId === holder?.memberId ? { [topic]: [0] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
  });
}

export async function joinGroupLease(kafka: Kafka, options: GroupLeaseOptions): Promise<GroupLease> {
  const since = Date.now();
  let held = false;
  let decide!: () => void;
  const decided = new Promise<void>((resolve) => {
    decide = resolve;
  });
  const change = (now: boolean) => {
    if (now === held) return;
    held = now;
    options.onChange(now);
  };
  let released = false;
  let restarts = 0;
  let consumer: Consumer;
  const join = async (): Promise<void> => {
    const current = kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [leaseAssigner(options.topic, () => ({ held, since }))],
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 6)),
      rebalanceTimeout: options.sessionTimeoutMs,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1000,
    });
    consumer = current;
    current.on(current.events.GROUP_JOIN, (event) => {
      restarts = 0;
      change((event.payload.memberAssignment[options.topic]?.length ?? 0) > 0);
      decide();
    });
    current.on(current.events.CRASH, (event) => {
      // kafkajs restarts the consumer on a retriable failure (a broker outage) and rejoins with this
      // member's claim, so the holder keeps the lease through an outage; the next join says who holds it.
      if (event.payload.restart) return;
      // Whoever holds the lease now, it may not be this member: stop acting as the holder.
      change(false);
      options.onTrouble(`the lease group ${options.groupId} failed (${event.payload.error.message})`);
      if (released) return;
      // kafkajs gave up on this consumer (a coordinator still loading, say): join again with a new one.
      restarts++;
      setTimeout(
        () => {
          if (released) return;
          void current
            .disconnect()
            .catch(() => undefined)
            .then(() => (released ? undefined : join()))
            .catch((err: unknown) =>
              options.onTrouble(`joining the lease group again failed (${String(err)})`),
            );
        },
        Math.min(10_000, 500 * 2 ** Math.min(restarts, 5)),
      ).unref();
    });
    await current.connect();
    await current.subscribe({ topic: options.topic, fromBeginning: false });
    await current.run({ autoCommit: false, eachBatch: async () => {} });
  };
  await join();
  return {
    get held() {
      return held;
    },
    decided,
    async release() {
      released = true;
      change(false);
      await consumer.disconnect();
    },
  };
}
