import { join } from 'node:path';
import { watch } from 'chokidar';
import type { Command } from 'commander';
import { applyProject } from '../../apply/index.js';
import { formatDiagnostics } from '../../config/diagnostics.js';
import { loadProject, PIPELINES_DIR } from '../../config/load.js';
import type { DesiredState } from '../../config/model.js';
import { PROJECT_FILE } from '../../config/project-file.js';
import { hasChanges } from '../../plan/model.js';
import { action, EXIT } from '../output.js';
import { loadForPlanning } from '../planning.js';
import { projectDir } from '../project-dir.js';
import { renderPlan } from '../views/plan.js';
import { configureWorkerLog, loggedAsJson } from '../worker-log.js';
import {
  startWorker,
  stopWorker,
  untilSignal,
  type WorkerFlags,
  withWorkerOptions,
  workerLog,
} from '../worker-session.js';

/** Edits settle this long before a re-plan, so an editor's save-in-steps counts once. */
const SETTLE_MS = 300;

async function applyQuietly(desired: DesiredState): Promise<void> {
  await applyProject(desired, {
    autoApprove: true,
    wait: false,
    onPlan: (plan) => {
      if (hasChanges(plan)) workerLog.block('info', renderPlan(plan, 'human'));
    },
    log: (line) => workerLog.info(line),
  });
}

/** The project settings the running worker was started with; a change needs a restart. */
function workerSettings(d: DesiredState): string {
  const { kafka, state, worker } = d.project;
  return JSON.stringify({ kafka, state, worker });
}

/**
 * Re-plans and applies the project after each settled edit, one at a time.
 * An invalid project or a refused plan is reported, and the worker keeps
 * running what was applied before.
 */
function watchProject(
  dir: string,
  environment: string | undefined,
  started: DesiredState,
): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let applying: Promise<void> = Promise.resolve();
  const reapply = async () => {
    try {
      await reapplyOnce();
    } catch (err) {
      // A file-system error in the middle of an edit must not end `pipe up`: the next edit is tried afresh.
      workerLog.failure(err, 'the running pipelines keep running as they were');
    }
  };
  const reapplyOnce = async () => {
    const { desired, diagnostics } = await loadProject(dir, environment === undefined ? {} : { environment });
    if (!desired) {
      workerLog.error(
        `the edit makes the project invalid; the running pipelines keep running as they were:\n${formatDiagnostics(diagnostics)}`,
      );
      return;
    }
    if (workerSettings(desired) !== workerSettings(started)) {
      workerLog.warn('kafka, state or worker settings changed: restart pipe up to use them');
    }
    await applyQuietly(desired);
    workerLog.info('project applied');
  };
  const watcher = watch([join(dir, PROJECT_FILE), join(dir, PIPELINES_DIR)], { ignoreInitial: true });
  watcher.on('all', (_event, path) => {
    if (path.startsWith(join(dir, PIPELINES_DIR)) && !/\.ya?ml$/.test(path)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      applying = applying.then(reapply);
    }, SETTLE_MS);
  });
  return async () => {
    clearTimeout(timer);
    await watcher.close();
    await applying;
  };
}

export function register(program: Command): void {
  withWorkerOptions(
    program
      .command('up')
      .description(
        'apply the project, run the embedded worker, and re-apply on every edit of pipelines/ or pipeline.config.yaml (Ctrl-C stops)',
      ),
  ).action(
    action(async (opts: { env?: string } & WorkerFlags, command: Command) => {
      configureWorkerLog(opts);
      const dir = projectDir(command);
      const desired = await loadForPlanning(command, opts.env);
      const stopped = untilSignal();
      await applyQuietly(desired);
      const worker = await startWorker(desired.project, opts).catch((err: unknown) => {
        if (loggedAsJson(err, 'the worker did not start')) return undefined;
        throw err;
      });
      if (worker === undefined) return EXIT.error;
      const unwatch = watchProject(dir, opts.env, desired);
      workerLog.info(`watching ${PROJECT_FILE} and ${PIPELINES_DIR}/ for changes`);
      const signal = await stopped;
      await unwatch();
      return stopWorker(worker, signal);
    }),
  );
}
