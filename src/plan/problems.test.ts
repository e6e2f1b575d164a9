import { describe, expect, it } from 'vitest';
import { actual, actualTopic, desired, managed, topic } from '../../test/fixtures/plan/build.js';
import { PipeError } from '../errors.js';
import { plan } from './diff.js';
import { assertPlannable } from './problems.js';

function thrown(fn: () => void): PipeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PipeError) return err;
  }
  throw new Error('expected a PipeError');
}

describe('assertPlannable', () => {
  const shrink = (names: string[]) =>
    plan(
      desired({ topics: names.map((n) => topic(n, { partitions: 1 })) }),
      actual({
        topics: Object.fromEntries(names.map((n) => [n, actualTopic(n)])),
        managedTopics: Object.fromEntries(names.map((n) => [n, managed()])),
      }),
    );

  it('lets a plan without problems through', () => {
    expect(() => assertPlannable(plan(desired(), actual()))).not.toThrow();
  });

  it('reports one problem as its message with its hint', () => {
    const err = thrown(() => assertPlannable(shrink(['a'])));
    expect(err.code).toBe('PLAN_INVALID');
    expect(err.message).toBe(
      'topic.a: partitions cannot go down from 3 to 1, because Kafka cannot reduce the partitions of a topic',
    );
    expect(err.meta).toMatchObject({
      resource: 'topic.a',
      hint: expect.stringContaining('keep partitions: 3'),
    });
  });

  it('reports every problem at once', () => {
    const err = thrown(() => assertPlannable(shrink(['a', 'b'])));
    expect(err.message).toMatch(
      /^the plan has 2 problems:\n {2}- topic\.a: .*\n {4}hint: .*\n {2}- topic\.b: /,
    );
  });
});
