/**
 * Saved plans (`pipe plan --out FILE`): the JSON rendering of the plan, with
 * the fingerprints that let `pipe apply FILE` prove it applies exactly that
 * plan. No secret is written: apply re-reads the project for their values and
 * refuses when they differ from what was planned.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { messageOf, PipeError, type Remedy } from '../errors.js';
import { redact } from '../redact.js';
import type { Plan } from './model.js';
import { PLAN_FORMAT_VERSION, type PlanJson, planJsonText } from './plan-json.js';

export async function writePlanFile(path: string, plan: Plan): Promise<void> {
  try {
    // The plan file is posted and kept as a CI artifact: it carries no secret, warnings quoting errors included.
    await writeFile(path, redact(planJsonText(plan)), 'utf8');
  } catch (err) {
    throw new PipeError('PLAN_FILE', `cannot write the plan to ${path}: ${messageOf(err)}`, { cause: err });
  }
}

export async function readPlanFile(path: string): Promise<PlanJson> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new PipeError('PLAN_FILE', `cannot read the plan ${path}: ${messageOf(err)}`, {
      cause: err,
      meta: { file: path, remedies: ['save_plan'] },
    });
  }
  const p = parsed as Partial<PlanJson>;
  if (p.format_version !== PLAN_FORMAT_VERSION) {
    throw new PipeError(
      'PLAN_FILE',
      `${path} is not a plan this pipe can apply (format_version ${JSON.stringify(p.format_version)}, expected "${PLAN_FORMAT_VERSION}")`,
      { meta: { file: path, hint: 'plan again with this version of pipe' } },
    );
  }
  if (
    typeof p.project !== 'string' ||
    typeof p.fingerprint?.actual !== 'string' ||
    typeof p.fingerprint?.desired !== 'string'
  ) {
    throw new PipeError('PLAN_FILE', `${path} lacks its project or fingerprints`, { meta: { file: path } });
  }
  return p as PlanJson;
}

/** Refuses a saved plan that no longer describes what applying now would do. */
export function assertCurrent(saved: PlanJson, current: Plan): void {
  const stale = (message: string, hint: string, remedies: Remedy[] = []) =>
    new PipeError('PLAN_STALE', message, { meta: { hint: `${hint}nothing was changed`, remedies } });
  if (saved.project !== current.project || (saved.environment ?? '') !== (current.environment ?? '')) {
    throw stale(
      `the plan was made for project ${saved.project}${saved.environment ? ` (${saved.environment})` : ''}, not ${current.project}${current.environment ? ` (${current.environment})` : ''}`,
      'apply it from the project and environment it was made for; ',
    );
  }
  if (saved.fingerprint.actual !== current.fingerprint) {
    throw stale(
      'the cluster changed since the plan was made (its state fingerprint moved): the plan may no longer do what it showed',
      '',
      ['plan_again'],
    );
  }
  if (saved.fingerprint.desired !== current.desiredFingerprint) {
    throw stale(
      'the project configuration differs from the one the plan was made from',
      'apply from the same commit and environment variables the plan was made with, or plan again; ',
    );
  }
}
