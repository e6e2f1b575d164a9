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

/**
 * - A replace loses the resource's data or offsets: `--allow-replace`.
 * - Deleting a topic loses its data: `--allow-delete`. In a destroy plan,
 *   where deleting is the request itself, only `protect: true` resources ask.
 */
export function refusals(
  plan: Plan,
  allow: Permissions,
): Array<{ address: string; reason: string; flag: string }> {
  const out: Array<{ address: string; reason: string; flag: string }> = [];
  for (const c of plan.changes) {
    if (c.action === 'replace' && !allow.allowReplace) {
      out.push({
        address: c.address,
        reason: c.reason ?? 'it is deleted and created again',
        flag: '--allow-replace',
      });
    }
    if (c.action !== 'delete' || allow.allowDelete) continue;
    if (plan.destroy) {
      if (c.protect)
        out.push({ address: c.address, reason: 'it is marked protect: true', flag: '--allow-delete' });
    } else if (c.resource === 'topic' && c.before) {
      out.push({ address: c.address, reason: 'deleting a topic deletes its data', flag: '--allow-delete' });
    } else if (c.protect) {
      out.push({ address: c.address, reason: 'it is marked protect: true', flag: '--allow-delete' });
    }
  }
  return out;
}

export function assertAllowed(plan: Plan, allow: Permissions): void {
  const refused = refusals(plan, allow);
  if (refused.length === 0) return;
  const flags = [...new Set(refused.map((r) => r.flag))];
  throw new PipeError(
    'APPLY_REFUSED',
    `refusing to apply: ${refused.map((r) => `${r.address} (${r.reason})`).join('; ')}`,
    {
      meta: {
        refused,
        hint: `nothing was changed; if this is intended, run again with ${flags.join(' and ')}`,
      },
    },
  );
}
