/**
 * Who holds a project's apply lease, decided by replaying the `lock` records
 * of its configs topic in log order (the rules are in src/apply/lock.ts,
 * which takes and releases the lease). Pure, so a plan can say that an apply
 * is in progress and apply can decide who won.
 */
import type { LockRecord } from '../state/records.js';

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
