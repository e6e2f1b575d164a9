/**
 * A plan with problems cannot be applied (or even shown as a plan): every
 * problem is reported at once, each with what to do about it.
 */
import { PipeError } from '../errors.js';
import type { Plan } from './model.js';

export function assertPlannable(plan: Plan): void {
  if (plan.problems.length === 0) return;
  const lines = plan.problems.map((p) => `${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`);
  const message =
    plan.problems.length === 1
      ? lines[0]!
      : `the plan has ${plan.problems.length} problems:\n  - ${lines.join('\n  - ')}`;
  throw new PipeError('PLAN_INVALID', message, {
    meta: {
      problems: plan.problems,
      ...(plan.problems.length === 1 ? { resource: plan.problems[0]!.address } : {}),
    },
  });
}
