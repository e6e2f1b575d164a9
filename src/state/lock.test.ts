import { describe, expect, it } from 'vitest';
import type { LockRecord } from '../state/records.js';
import { leaseHolder } from './lock.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const claim = (id: string, since: number, expires: number): LockRecord => ({
  id,
  holder: `${id}@host pid 1`,
  since: t(since),
  expiresAt: t(expires),
});
const at = (s: number) => new Date(t(s));

describe('leaseHolder: replaying the lock records', () => {
  const cases: Array<{
    name: string;
    log: Array<LockRecord | null>;
    now: number;
    holder: string | undefined;
  }> = [
    { name: 'no record: free', log: [], now: 0, holder: undefined },
    { name: 'one live claim holds', log: [claim('a', 0, 30)], now: 10, holder: 'a' },
    {
      name: 'the first of two racing claims wins',
      log: [claim('a', 0, 30), claim('b', 1, 31)],
      now: 2,
      holder: 'a',
    },
    {
      name: 'a released lease is free, and the next claim wins',
      log: [claim('a', 0, 30), null, claim('b', 5, 35)],
      now: 6,
      holder: 'b',
    },
    { name: 'an expired lease is free', log: [claim('a', 0, 30)], now: 31, holder: undefined },
    {
      name: 'an expired lease is taken over by a later claim',
      log: [claim('a', 0, 30), claim('b', 40, 70)],
      now: 41,
      holder: 'b',
    },
    {
      name: 'a renewal keeps the lease past its first expiry',
      log: [claim('a', 0, 30), claim('a', 0, 50)],
      now: 40,
      holder: 'a',
    },
    {
      name: 'a claim made while the lease was live never wins later, even once the holder is gone',
      log: [claim('a', 0, 30), claim('b', 10, 40)],
      now: 35,
      holder: undefined,
    },
    {
      name: 'a late renewal by a holder that was taken over does not win it back',
      log: [claim('a', 0, 30), claim('b', 40, 70), claim('a', 0, 80)],
      now: 45,
      holder: 'b',
    },
  ];
  it.each(cases)('$name', ({ log, now, holder }) => {
    expect(leaseHolder(log, at(now))?.id).toBe(holder);
  });
});
