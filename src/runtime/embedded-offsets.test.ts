import { describe, expect, it } from 'vitest';
import type { Admin } from '../kafka/client.js';
import { deleteGroup, offsetRecords } from './embedded-offsets.js';

describe('offsetRecords', () => {
  it("keeps a stored partition's key bytes whatever the order of the keys given, and tombstones a null offset", () => {
    const current = [{ key: '["src",{"b":1,"a":2}]', partition: { b: 1, a: 2 }, offset: { n: 1 } }];
    const records = offsetRecords('src', current, [
      { partition: { a: 2, b: 1 }, offset: { n: 5 } },
      { partition: { c: 3 }, offset: null },
    ]);
    expect(records.map((r) => [r.key.toString(), r.value?.toString() ?? null])).toEqual([
      ['["src",{"b":1,"a":2}]', '{"n":5}'],
      ['["src",{"c":3}]', null],
    ]);
  });
});

describe('deleteGroup', () => {
  /** kafkajs's DeleteGroups error: one entry per group with the broker's error type. */
  const refusal = (type: string) =>
    Object.assign(new Error('Error in DeleteGroups'), { groups: [{ error: { type } }] });
  const adminAnswering = (...answers: Array<string | 'ok'>) => {
    const calls: string[][] = [];
    const admin = {
      deleteGroups: async (groups: string[]) => {
        calls.push(groups);
        const answer = answers.shift() ?? 'ok';
        if (answer !== 'ok') throw refusal(answer);
        return [];
      },
    } as unknown as Admin;
    return { admin, calls };
  };

  it('asks again while the coordinator is still loading its groups or has moved', async () => {
    const { admin, calls } = adminAnswering('GROUP_LOAD_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ok');
    await expect(deleteGroup(admin, 'connect-sink')).resolves.toBe(true);
    expect(calls).toEqual([['connect-sink'], ['connect-sink'], ['connect-sink']]);
  });

  it('answers false for a group that does not exist', async () => {
    const { admin } = adminAnswering('GROUP_ID_NOT_FOUND');
    await expect(deleteGroup(admin, 'connect-sink')).resolves.toBe(false);
  });

  it('throws at once for a group that still has members', async () => {
    const { admin, calls } = adminAnswering('NON_EMPTY_GROUP', 'ok');
    await expect(deleteGroup(admin, 'connect-sink')).rejects.toMatchObject({
      groups: [{ error: { type: 'NON_EMPTY_GROUP' } }],
    });
    expect(calls).toHaveLength(1);
  });
});
