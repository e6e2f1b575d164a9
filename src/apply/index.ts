/**
 * Applying a project end to end: lock, read, plan, check, confirm, execute,
 * unlock, wait for the worker. `pipe apply`, `pipe destroy` and `pipe up`
 * all come through `applyProject`.
 */
import type { DesiredState } from '../config/model.js';
import { PipeError } from '../errors.js';
import { withSession } from '../kafka/session.js';
import { type PlanOptions, plan } from '../plan/diff.js';
import { hasChanges, type Plan } from '../plan/model.js';
import { assertCurrent } from '../plan/plan-file.js';
import type { PlanJson } from '../plan/plan-json.js';
import { assertPlannable } from '../plan/problems.js';
import { readActualState } from '../plan/read-actual.js';
import { validateOnRuntimes } from '../plan/validate-remote.js';
import { openRuntimes, type Runtimes } from '../runtime/runtimes.js';
import { acquireLock, type LockHandle } from '../state/lock.js';
import { ensureStateTopics } from '../state/topics.js';
import { executeSteps, type StepResult } from './execute.js';
import { assertAllowed, type Permissions } from './guards.js';
import { stepsFor } from './steps.js';
import { type WaitResult, type WaitTarget, waitForAll } from './wait.js';

export type { StepResult } from './execute.js';
export type { WaitResult } from './wait.js';

export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

export interface ApplyOptions extends Permissions, PlanOptions {
  /** Apply without asking. Without it, `confirm` must say yes. */
  autoApprove?: boolean;
  /** Asked once the plan is known and has changes (the CLI's "type yes" prompt). */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Called with the plan before anything changes, to show it. */
  onPlan?: (plan: Plan) => void;
  /** A saved plan (`pipe plan --out`): applied only if planning now gives exactly it. */
  savedPlan?: PlanJson;
  /** Wait until a worker reports the connectors RUNNING (default true). */
  wait?: boolean;
  waitTimeoutMs?: number;
  /** Progress lines, one per step. */
  log?: (line: string) => void;
  now?: () => Date;
  /** Who holds the lock, as others see it: `user@host pid N` by default. */
  holder?: string;
  lockTtlMs?: number;
}

export interface ApplyResult {
  plan: Plan;
  applied: StepResult[];
  wait: WaitResult;
}

/** Runs `fn` holding the lock; when `fn` fails, that failure is reported, not a failure to release. */
async function holding<T>(lock: LockHandle, fn: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    // A lease that could not be released expires by itself.
    await lock.release().catch(() => undefined);
    throw err;
  }
  await lock.release();
  return result;
}

/** Approval: given up front (`--auto-approve`, a saved plan), or asked for once the plan is known. */
async function approve(p: Plan, options: ApplyOptions): Promise<void> {
  if (options.autoApprove) return;
  if (!options.confirm) {
    throw new PipeError('APPLY_REFUSED', 'refusing to apply without approval: there is no terminal to ask', {
      meta: { hint: 'review the plan, then approve it up front (as CI does)', remedies: ['auto_approve'] },
    });
  }
  if (!(await options.confirm(p)))
    throw new PipeError('APPLY_REFUSED', 'apply cancelled: nothing was changed');
}

const WANTED_STATE = { running: 'RUNNING', paused: 'PAUSED', stopped: 'STOPPED' } as const;

/**
 * Connectors worth waiting for, by runtime: those this apply created or
 * changed that their runtime can run; running ones everywhere, and on a
 * Kafka Connect runtime paused and stopped ones too, until the cluster says
 * so (a plan right after apply must find them in the state the YAML asks for).
 */
function waitTargets(p: Plan, runtimes: Runtimes, startedAt: number): Map<string, WaitTarget[]> {
  const byRuntime = new Map<string, WaitTarget[]>();
  for (const c of p.changes) {
    if (c.resource !== 'connector' || c.action === 'delete') continue;
    const runtime = runtimes.of(c.after);
    if (runtime.cannotRun(c.after)) continue;
    if (c.after.state !== 'running' && runtime.needsWorker) continue;
    const state = WANTED_STATE[c.after.state];
    let target: WaitTarget | undefined;
    if (c.action === 'create' || c.action === 'replace' || c.action === 'adopt' || c.action === 'move')
      target = { name: c.name, freshAfter: startedAt, state };
    else if (c.action === 'update') {
      const restarted = c.attributes.some((a) => a.path === 'state');
      target = restarted ? { name: c.name, freshAfter: startedAt, state } : { name: c.name, state };
    }
    if (target) byRuntime.set(runtime.name, [...(byRuntime.get(runtime.name) ?? []), target]);
  }
  return byRuntime;
}

export async function applyProject(desired: DesiredState, options: ApplyOptions = {}): Promise<ApplyResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const project = desired.project.name;
  const planOptions: PlanOptions = options.savedPlan
    ? { targets: options.savedPlan.targets, destroy: options.savedPlan.destroy }
    : {
        ...(options.targets ? { targets: options.targets } : {}),
        ...(options.destroy ? { destroy: true } : {}),
      };

  return withSession(desired.project.kafka, 'apply', async ({ kafka, admin, producer: connectProducer }) => {
    const producer = await connectProducer();
    const topics = await ensureStateTopics(admin, desired.project.state);
    const runtimes = openRuntimes({
      project: desired.project,
      kafka,
      admin,
      producer: async () => producer,
      now,
    });
    const lock = await acquireLock({
      kafka,
      producer,
      topic: topics.configs,
      project,
      now,
      ...(options.holder ? { holder: options.holder } : {}),
      ...(options.lockTtlMs ? { ttlMs: options.lockTtlMs } : {}),
    });
    const outcome = await holding(lock, async () => {
      const { actual } = await readActualState(kafka, admin, desired, {
        configRecords: lock.records,
        ownLockId: lock.lease.id,
        now,
        runtimes,
      });
      const p = plan(desired, actual, planOptions);
      if (options.savedPlan) assertCurrent(options.savedPlan, p);
      assertPlannable(p);
      p.diagnostics.unshift(...(await validateOnRuntimes(p, desired, runtimes)));
      assertPlannable(p);
      options.onPlan?.(p);
      if (!hasChanges(p)) return { plan: p, applied: [], startedAt: 0 };
      assertAllowed(p, options);
      await approve(p, options);
      const startedAt = now().getTime();
      const applied = await executeSteps(
        stepsFor(p.changes, {
          project,
          admin,
          producer,
          runtimes,
          topics,
          connectors: new Map(desired.connectors.map((c) => [c.name, c])),
          now,
        }),
        { log, beforeStep: () => lock.assertHeld() },
      );
      return { plan: p, applied, startedAt };
    });
    const { plan: p, applied, startedAt } = outcome;

    if (options.wait === false || applied.length === 0) {
      return { plan: p, applied, wait: { kind: 'nothing-to-wait-for' } };
    }
    const wait = await waitForAll(runtimes, project, waitTargets(p, runtimes, startedAt), {
      timeoutMs: options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
    });
    return { plan: p, applied, wait };
  });
}

/** The outcome of the wait in words; an error for what should fail a CI job. */
export function describeWait(result: WaitResult, project: string): { line?: string; error?: PipeError } {
  switch (result.kind) {
    case 'nothing-to-wait-for':
      return {};
    case 'running':
      return { line: `running: ${result.connectors.join(', ')}` };
    case 'no-worker':
      return {
        line: `no worker is running for project ${project}: start one with \`pipe run\` (or use \`pipe up\`) to run the connectors`,
      };
    case 'failed':
      return {
        error: new PipeError(
          'CONNECTOR_FAILED',
          `applied, but ${result.failed.map((f) => `${f.name} failed: ${f.trace.split('\n')[0]}`).join('; ')}`,
          { meta: { failed: result.failed, hint: '`pipe status` shows the full trace' } },
        ),
      };
    case 'timeout':
      return {
        error: new PipeError(
          'TIMEOUT',
          `applied, but not RUNNING in time: ${result.pending.map((x) => `${x.name} (${x.state})`).join(', ')}`,
          {
            meta: {
              hint: 'the worker may still be starting them: check its log, or wait longer',
              remedies: ['longer_wait'],
            },
          },
        ),
      };
  }
}
