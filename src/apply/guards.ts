/**
 * What apply refuses to do unless told to, decided from the plan alone, so
 * the same plan is refused the same way whether it is applied at once or
 * from a saved file.
 */
import { PipeError } from '../errors.js';
import type { Plan } from '../plan/model.js';

export interface Permissions {
  allowDelete?: boolean;
  allowReplace?: boolean;
}

/** Why apply refuses a change, and the permission that lets it through. */
export type RefusalReason = 'replace_loses_data' | 'delete_loses_data' | 'protected';

export interface Refusal {
  address: string;
  reason: RefusalReason;
  permission: 'allowReplace' | 'allowDelete';
}

const REASON_TEXT: Record<RefusalReason, string> = {
  replace_loses_data: 'it is deleted and created again, losing its data or offsets',
  delete_loses_data: 'deleting a topic deletes its data',
  protected: 'it is marked protect: true',
};

/**
 * - A replace loses the resource's data or offsets: `allowReplace`.
 * - One rule for deletes, whether apply or destroy plans them: deleting a
 *   topic (its data goes) or a `protect: true` resource needs `allowDelete`.
 *   Deleting an unprotected connector does not: the plan notes its offsets.
 */
export function refusals(plan: Plan, allow: Permissions): Refusal[] {
  const out: Refusal[] = [];
  for (const c of plan.changes) {
    if (c.action === 'replace' && !allow.allowReplace) {
      out.push({ address: c.address, reason: 'replace_loses_data', permission: 'allowReplace' });
    }
    if (c.action !== 'delete' || allow.allowDelete) continue;
    if (c.protect) out.push({ address: c.address, reason: 'protected', permission: 'allowDelete' });
    else if (c.resource === 'topic' && c.before !== undefined) {
      out.push({ address: c.address, reason: 'delete_loses_data', permission: 'allowDelete' });
    }
  }
  return out;
}

export function assertAllowed(plan: Plan, allow: Permissions): void {
  const refused = refusals(plan, allow);
  if (refused.length === 0) return;
  const remedies = [
    ...new Set(refused.map((r) => (r.permission === 'allowReplace' ? 'allow_replace' : 'allow_delete'))),
  ];
  throw new PipeError(
    'APPLY_REFUSED',
    `refusing to apply: ${refused.map((r) => `${r.address} (${REASON_TEXT[r.reason]})`).join('; ')}`,
    { meta: { refused, hint: 'nothing was changed; if this is intended, allow it', remedies } },
  );
}
