/**
 * A plan with problems cannot be applied (or even shown as a plan): every
 * problem is reported at once, each with what to do about it.
 */
import { PipeError } from '../errors.js';
import type { Plan } from './model.js';

export function assertPlannable(plan: Plan): void {
  const [first, ...more] = plan.problems;
  if (!first) return;
  if (more.length === 0) {
    throw new PipeError('PLAN_INVALID', first.message, {
      meta: { problems: plan.problems, resource: first.address, ...(first.hint ? { hint: first.hint } : {}) },
    });
  }
  const lines = plan.problems.map((p) => `${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`);
  throw new PipeError(
    'PLAN_INVALID',
    `the plan has ${plan.problems.length} problems:\n  - ${lines.join('\n  - ')}`,
    {
      meta: { problems: plan.problems },
    },
  );
}
