/**
 * pipe's side of the data-path scenarios: a project written for the run,
 * applied, then `pipe run` measured from outside like the peers.
 */
import { join } from 'node:path';
import { messageOf } from '../src/errors.js';
import type { BenchContext } from './context.js';
import { memoryOf, type WatchOptions } from './measure.js';
import {
  failed,
  type PipeWorker,
  type ProjectSpec,
  pipe,
  requirePipe,
  startPipeWorker,
  writeProject,
} from './pipe-cli.js';
import { NotMeasured } from './results.js';
import { deleteBenchTopics } from './topics.js';

export const JSON_WITH_SCHEMAS = { converter: 'json', schemas: true } as const;

export interface PipeRun {
  dir: string;
  project: string;
  worker: PipeWorker;
  /** Peak RSS (VmHWM) of the worker so far, in MB. */
  peakMb(): number | null;
  watchOptions: WatchOptions;
}

/** Writes the project, applies it and starts its worker; `use` measures while it runs. */
export async function withPipeWorker<T>(
  ctx: BenchContext,
  name: string,
  pipelines: ProjectSpec['pipelines'],
  use: (run: PipeRun) => Promise<T>,
  options: { worker?: Record<string, unknown>; runArgs?: string[] } = {},
): Promise<T> {
  await requirePipe('apply', 'run');
  const project = `${name}-${Date.now().toString(36)}`;
  const dir = join(ctx.workDir, project);
  await writeProject(dir, {
    project,
    brokers: ctx.brokers,
    pipelines,
    ...(options.worker ? { worker: options.worker } : {}),
  });
  const applied = await pipe(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
  if (applied.code !== 0) {
    const err = failed('apply --auto-approve --no-wait', applied);
    ctx.failures.push(`${name}: ${err.message}`);
    throw err;
  }
  const worker = startPipeWorker(dir, {
    nodeArgs: ctx.pipeNodeArgs,
    logFile: join(dir, 'worker.log'),
    ...(options.runArgs ? { runArgs: options.runArgs } : {}),
  });
  try {
    return await use({
      dir,
      project,
      worker,
      peakMb: () => memoryOf(worker.pid)?.peakMb ?? null,
      watchOptions: { failure: worker.failure },
    });
  } catch (err) {
    if (err instanceof NotMeasured) throw err;
    // pipe failing is a finding, not a reason to lose the peers' figures of the same run.
    const message = `failed: ${messageOf(err)}`;
    ctx.failures.push(`${name}: ${message}`);
    throw new NotMeasured(message, { failure: true });
  } finally {
    await worker.stop();
    await deleteBenchTopics(ctx.kafka, [], [`pipe-${project}.`]);
  }
}

export function topicDecl(partitions = 1) {
  return { partitions, replicationFactor: 1 };
}
