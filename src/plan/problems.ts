/**
 * A plan with errors cannot be applied (or even shown as a plan): every
 * problem is reported at once, each with what to do about it.
 */
import { errorsOf } from '../diagnostics.js';
import { PipeError } from '../errors.js';
import type { Plan } from './model.js';

export function assertPlannable(plan: Plan): void {
  const problems = errorsOf(plan.diagnostics);
  const [first, ...more] = problems;
  if (!first) return;
  if (more.length === 0) {
    throw new PipeError('PLAN_INVALID', first.summary, {
      meta: {
        diagnostics: problems,
        ...(first.address ? { resource: first.address } : {}),
        ...(first.suggestion ? { hint: first.suggestion } : {}),
      },
    });
  }
  const lines = problems.map((p) => `${p.summary}${p.suggestion ? `\n    hint: ${p.suggestion}` : ''}`);
  throw new PipeError(
    'PLAN_INVALID',
    `the plan has ${problems.length} problems:\n  - ${lines.join('\n  - ')}`,
    {
      meta: { diagnostics: problems },
    },
  );
}
