/**
 * Planning a project end to end: read the cluster and the runtimes, run the
 * pure planner, let Kafka Connect validate what would change on it.
 * What `pipe plan` and `pipe destroy` call.
 */
import type { DesiredState } from '../config/model.js';
import { hasErrors } from '../diagnostics.js';
import { withSession } from '../kafka/session.js';
import { openRuntimes } from '../runtime/runtimes.js';
import { type PlanOptions, plan } from './diff.js';
import type { Plan } from './model.js';
import { readActualState } from './read-actual.js';
import { validateOnRuntimes } from './validate-remote.js';

export type { PlanOptions } from './diff.js';
export { plan } from './diff.js';
export type { Change, Plan } from './model.js';
export { hasChanges } from './model.js';

export interface ProjectPlanOptions extends PlanOptions {
  /**
   * Read every Kafka Connect runtime the project declares, not only those its
   * connectors use, so the plan lists the unmanaged connectors of each.
   */
  readEveryRuntime?: boolean;
}

export async function planProject(desired: DesiredState, options: ProjectPlanOptions = {}): Promise<Plan> {
  return withSession(desired.project.kafka, 'plan', async ({ kafka, admin, producer }) => {
    const runtimes = openRuntimes({ project: desired.project, kafka, admin, producer });
    const { actual } = await readActualState(kafka, admin, desired, {
      runtimes,
      everyRuntime: options.readEveryRuntime ?? false,
    });
    const p = plan(desired, actual, options);
    // Kafka Connect checks what would change, once the plan itself holds together.
    if (!hasErrors(p.diagnostics)) p.diagnostics.unshift(...(await validateOnRuntimes(p, desired, runtimes)));
    return p;
  });
}
