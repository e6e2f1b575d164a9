/**
 * Planning a project end to end: read the cluster, run the pure planner.
 * What `pipe plan` and `pipe destroy` call.
 */
import type { DesiredState } from '../config/model.js';
import { withSession } from '../kafka/session.js';
import { type PlanOptions, plan } from './diff.js';
import type { Plan } from './model.js';
import { readActualState } from './read-actual.js';

export type { PlanOptions } from './diff.js';
export { plan } from './diff.js';
export type { Change, Plan } from './model.js';
export { hasChanges } from './model.js';

export async function planProject(desired: DesiredState, options: PlanOptions = {}): Promise<Plan> {
  return withSession(desired.project.kafka, 'plan', async ({ kafka, admin }) => {
    const { actual } = await readActualState(kafka, admin, desired);
    return plan(desired, actual, options);
  });
}
