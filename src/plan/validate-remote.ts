/**
 * Asks each Kafka Connect runtime to check the connectors a plan creates or
 * changes on it (`PUT /connector-plugins/{class}/config/validate`) before
 * anything changes, and turns its answers into plan errors at the YAML
 * position of the key at fault. A class the cluster lacks is an error listing
 * the plugins it has.
 */
import type { ConnectorSpec, DesiredState } from '../config/model.js';
import type { Diagnostic } from '../diagnostics.js';
import { ConnectRuntime } from '../runtime/connect/runtime.js';
import type { Runtimes } from '../runtime/runtimes.js';
import { fieldSource } from './field-source.js';
import type { Plan } from './model.js';

/** Validations run a few at a time: a plan of 200 connectors does not open 200 requests at once. */
const PARALLEL = 8;

export async function validateOnRuntimes(
  plan: Plan,
  desired: DesiredState,
  runtimes: Runtimes,
): Promise<Diagnostic[]> {
  const specs = new Map(desired.connectors.map((c) => [c.name, c]));
  const work: Array<{ spec: ConnectorSpec; runtime: ConnectRuntime; address: string }> = [];
  for (const c of plan.changes) {
    if (c.resource !== 'connector' || c.action === 'delete' || c.action === 'no-op' || !c.after.runtime)
      continue;
    const spec = specs.get(c.name);
    const runtime = runtimes.get(c.after.runtime);
    if (spec && runtime instanceof ConnectRuntime) work.push({ spec, runtime, address: c.address });
  }
  const found: Diagnostic[][] = work.map(() => []);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < work.length; i = next++) {
      const out: Diagnostic[] = [];
      found[i] = out;
      // biome-ignore lint/style/noNonNullAssertion: i < work.length, the loop's condition
      const { spec, runtime, address } = work[i]!;
      const result = await runtime.validate(spec);
      if (result.ok) continue;
      if ('missingClass' in result) {
        out.push({
          severity: 'error',
          code: 'CONNECTOR_CLASS_MISSING',
          address,
          summary: `runtime "${runtime.name}" has no connector plugin ${result.missingClass}; installed: ${result.installed.join(', ') || 'none'}`,
          source: fieldSource(spec, 'connector'),
          suggestion: `install the plugin on every worker of "${runtime.name}" (plugin.path), or fix the class name`,
        });
        continue;
      }
      for (const e of result.errors) {
        out.push({
          severity: 'error',
          code: 'CONNECTOR_INVALID',
          address,
          summary: e.message,
          source: fieldSource(spec, e.field),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, work.length) }, worker));
  return found.flat();
}
