/**
 * Breaking the apply lock by hand, as `terraform force-unlock` does: for a
 * lease that will not end by itself soon enough (a holder whose clock ran far
 * ahead, a hand-written lock record). It writes the tombstone a holder writes
 * when it finishes; a holder that is in fact still alive and renews takes the
 * lease back at its next renewal, unless another apply claimed it first.
 */
import type { ProjectSpec } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import { withSession } from '../kafka/session.js';
import { parseConfigsTopic } from '../plan/read-state.js';
import { foreignRecordWarning } from '../state/foreign.js';
import { leaseHolder } from '../state/lock.js';
import { configKey, type LockRecord, stateTopicNames } from '../state/records.js';
import { existingStateTopics } from '../state/topics.js';
import { retry } from '../time/retry.js';

export interface ForceUnlockOptions {
  /** The lock id the user saw; when given, only that lock is broken. */
  lockId?: string;
  /** Asked once the lock is known; only a yes breaks it. Left out: break without asking. */
  confirm?: (lease: LockRecord) => Promise<boolean>;
  /** Warnings about records of the configs topic that could not be read. */
  onWarning?: (message: string) => void;
  now?: () => Date;
}

export type ForceUnlockResult =
  | { kind: 'not-locked' }
  | { kind: 'declined'; lease: LockRecord }
  | { kind: 'unlocked'; lease: LockRecord };

export async function forceUnlock(
  project: ProjectSpec,
  options: ForceUnlockOptions = {},
): Promise<ForceUnlockResult> {
  const now = options.now ?? (() => new Date());
  const topic = stateTopicNames(project.state.topicPrefix).configs;
  return withSession(project.kafka, 'force-unlock', async ({ kafka, admin, producer }) => {
    if (!(await existingStateTopics(admin, project.state)).has(topic))
      return notLocked(options.lockId, project);
    const configs = parseConfigsTopic(topic, await readTopicToEnd(kafka, topic));
    for (const f of configs.foreign) options.onWarning?.(foreignRecordWarning(f));
    const lease = leaseHolder(
      configs.locks.map((l) => l.value),
      now(),
    );
    if (!lease) return notLocked(options.lockId, project);
    if (options.lockId !== undefined && options.lockId !== lease.id) {
      throw new PipeError(
        'USAGE',
        `project ${project.name} is locked with lock id ${lease.id}, not ${options.lockId}: nothing was changed`,
        {
          meta: {
            lockId: lease.id,
            holder: lease.holder,
            hint: 'check the id of the lock you mean to break',
          },
        },
      );
    }
    if (options.confirm && !(await options.confirm(lease))) return { kind: 'declined', lease };
    try {
      const p = await producer();
      await retry(() => p.send({ topic, acks: -1, messages: [{ key: configKey.lock(), value: null }] }));
    } catch (err) {
      throw new PipeError(
        'KAFKA_REQUEST',
        `writing the lock's tombstone to ${topic} failed: ${messageOf(err)}`,
        {
          cause: err,
          retriable: true,
        },
      );
    }
    return { kind: 'unlocked', lease };
  });
}

function notLocked(lockId: string | undefined, project: ProjectSpec): ForceUnlockResult {
  if (lockId === undefined) return { kind: 'not-locked' };
  throw new PipeError('USAGE', `project ${project.name} is not locked, so lock ${lockId} cannot be broken`, {
    meta: { lockId },
  });
}
