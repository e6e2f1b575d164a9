/**
 * A plan with errors cannot be applied (or even shown as a plan): every
 * problem is reported at once, each with what to do about it.
 */
import { dottedPath } from '../config/yaml-source.js';
import { type Diagnostic, errorsOf } from '../diagnostics.js';
import { PipeError } from '../errors.js';
import type { Plan } from './model.js';

/** `pipelines/cdc.yaml:14:7: sources.orders-cdc.config.database.port: ` when the problem is at a place in a file. */
function where(d: Diagnostic): string {
  const s = d.source;
  if (!s) return '';
  return `${s.file}:${s.line}:${s.column}: ${s.pointer ? `${dottedPath(s.pointer)}: ` : ''}`;
}

export function assertPlannable(plan: Plan): void {
  const problems = errorsOf(plan.diagnostics);
  const [first, ...more] = problems;
  if (!first) return;
  if (more.length === 0) {
    throw new PipeError('PLAN_INVALID', `${where(first)}${first.summary}`, {
      meta: {
        diagnostics: problems,
        ...(first.address ? { resource: first.address } : {}),
        ...(first.suggestion ? { hint: first.suggestion } : {}),
      },
    });
  }
  const lines = problems.map(
    (p) => `${where(p)}${p.summary}${p.suggestion ? `\n    hint: ${p.suggestion}` : ''}`,
  );
  throw new PipeError(
    'PLAN_INVALID',
    `the plan has ${problems.length} problems:\n  - ${lines.join('\n  - ')}`,
    {
      meta: { diagnostics: problems },
    },
  );
}
