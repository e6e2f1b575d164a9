import type { Command } from 'commander';
import { formatDiagnostics } from '../../config/diagnostics.js';
import { loadDesiredState } from '../../config/load.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';
import { configureWorkerLog, loggedAsJson, workerLog } from '../worker-log.js';
import {
  startWorker,
  stopWorker,
  untilSignal,
  type WorkerFlags,
  withWorkerOptions,
} from '../worker-session.js';

export function register(program: Command): void {
  withWorkerOptions(
    program
      .command('run')
      .description(
        'run the embedded worker in the foreground: it runs the connectors applied to the project (Ctrl-C stops it cleanly)',
      ),
  ).action(
    action(async (opts: { env?: string } & WorkerFlags, command: Command) => {
      configureWorkerLog(opts);
      const { desired, warnings } = await loadDesiredState(
        projectDir(command),
        opts.env === undefined ? {} : { environment: opts.env },
      );
      if (warnings.length > 0) workerLog.block('warn', formatDiagnostics(warnings));
      const stopped = untilSignal();
      const worker = await startWorker(desired.project, opts).catch((err: unknown) => {
        if (loggedAsJson(err, 'the worker did not start')) return undefined;
        throw err;
      });
      if (worker === undefined) return EXIT.error;
      return stopWorker(worker, await stopped);
    }),
  );
}
