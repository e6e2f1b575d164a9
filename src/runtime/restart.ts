/**
 * `pipe restart ADDRESS [--failed]`: restarts a connector and its tasks on the
 * runtime it runs on. Only a Kafka Connect runtime restarts on request; the
 * embedded worker restarts failed tasks itself.
 */
import { connectorAddress, type DesiredState } from '../config/model.js';
import { PipeError } from '../errors.js';
import { ConnectRuntime } from './connect/runtime.js';
import { embeddedRestartRefused } from './embedded.js';

export async function restartConnector(
  desired: DesiredState,
  address: string,
  options: { onlyFailed: boolean },
): Promise<{ runtime: string; name: string }> {
  const spec = desired.connectors.find((c) => connectorAddress(c) === address);
  if (!spec) {
    throw new PipeError('USAGE', `${address} names no source or sink of this project`, {
      meta: { hint: 'addresses look like source.<name> or sink.<name>' },
    });
  }
  if (!spec.runtime) throw embeddedRestartRefused(spec.name);
  const runtime = desired.project.runtimes?.[spec.runtime];
  if (!runtime) throw new PipeError('CONFIG_REFERENCE', `no runtime "${spec.runtime}"`);
  await new ConnectRuntime({ spec: runtime, projectDir: desired.project.dir }).restart(spec.name, options);
  return { runtime: spec.runtime, name: spec.name };
}
