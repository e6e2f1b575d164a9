/**
 * The plan as data for scripts and as the saved plan file (`pipe plan --out`).
 * The shape is documented in docs/PLAN.md and versioned by `format_version`:
 * fields may be added within a version, never renamed or removed. Secrets are
 * never written: a sensitive attribute carries no values.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { ActionReason, AttributeDiff, Change, ChangeNote, Plan, PlanSummary } from './model.js';

/** 2: `reason` and `notes` are codes, `problems` and `warnings` became `diagnostics`. */
export const PLAN_FORMAT_VERSION = '2';

export interface AttributeJson {
  path: string;
  change: 'added' | 'changed' | 'removed';
  before?: unknown;
  after?: unknown;
  sensitive?: true;
  reset_to_default?: true;
  from_default?: true;
}

export interface ChangeJson {
  address: string;
  resource: 'topic' | 'source' | 'sink';
  name: string;
  action: Change['action'];
  reason?: ActionReason;
  notes: ChangeNote[];
  protect: boolean;
  drops_offsets: boolean;
  attributes: AttributeJson[];
  /** For `move`: the runtimes, and how the connector keeps its place. */
  move?: { from: string; to: string; offsets_carried: number; group_kept: boolean; renamed_from?: string };
}

export interface PlanJson {
  format_version: string;
  project: string;
  environment?: string;
  destroy: boolean;
  targets: string[];
  fingerprint: { actual: string; desired: string };
  summary: PlanSummary;
  changes: ChangeJson[];
  diagnostics: Diagnostic[];
  /** Connectors on Kafka Connect runtimes that no pipe project manages (`runtime/name`); only when asked for. */
  unmanaged?: string[];
}

export interface PlanJsonOptions {
  /** Carry `unmanaged` (`pipe plan --show-unmanaged`); the plan file never does. */
  withUnmanaged?: boolean;
}

function attributeJson(d: AttributeDiff): AttributeJson {
  const change = !('before' in d) ? 'added' : !('after' in d) ? 'removed' : 'changed';
  const out: AttributeJson = { path: d.path, change };
  if (d.sensitive) out.sensitive = true;
  else {
    if ('before' in d) out.before = d.before;
    if ('after' in d) out.after = d.after;
  }
  if (d.resetToDefault) out.reset_to_default = true;
  if (d.fromDefault) out.from_default = true;
  return out;
}

function changeJson(c: Change): ChangeJson {
  return {
    address: c.address,
    resource: c.resource === 'topic' ? 'topic' : c.kind,
    name: c.name,
    action: c.action,
    ...(c.reason ? { reason: c.reason } : {}),
    notes: c.notes,
    protect: c.protect,
    drops_offsets: c.resource === 'connector' && c.dropsOffsets,
    attributes: c.attributes.map(attributeJson),
    ...(c.resource === 'connector' && c.action === 'move'
      ? {
          move: {
            from: c.move.from,
            to: c.move.to,
            offsets_carried: c.move.offsetsCarried,
            group_kept: c.move.groupKept,
            ...(c.move.renamedFrom ? { renamed_from: c.move.renamedFrom } : {}),
          },
        }
      : {}),
  };
}

export function toPlanJson(plan: Plan, options: PlanJsonOptions = {}): PlanJson {
  return {
    format_version: PLAN_FORMAT_VERSION,
    project: plan.project,
    ...(plan.environment ? { environment: plan.environment } : {}),
    destroy: plan.destroy,
    targets: plan.targets,
    fingerprint: { actual: plan.fingerprint, desired: plan.desiredFingerprint },
    summary: plan.summary,
    changes: plan.changes.map(changeJson),
    diagnostics: plan.diagnostics,
    ...(options.withUnmanaged ? { unmanaged: plan.unmanaged ?? [] } : {}),
  };
}

/** The text of the plan file and of `pipe plan --json`: one shape for both. */
export function planJsonText(plan: Plan, options: PlanJsonOptions = {}): string {
  return `${JSON.stringify(toPlanJson(plan, options), null, 2)}\n`;
}
