/**
 * The embedded worker in the foreground, as `pipe run` and `pipe up` run it:
 * timestamped lines, a clean stop at the first signal, a hard one at the second.
 */
import type { Command } from 'commander';
import type { ProjectSpec } from '../config/model.js';
import { type ServedWorker, startServedWorker } from '../worker/http/served-worker.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../worker/worker.js';
import { EXIT } from './output.js';
import { followWorkload } from './worker-heap.js';
import { workerLog } from './worker-log.js';

export { workerLog } from './worker-log.js';

/** Resolves at the first SIGINT or SIGTERM; a second one exits at once. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      const again = () => {
        process.stderr.write('stopping at once: offsets not yet stored are read again at the next start\n');
        process.exit(EXIT.error);
      };
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}

/** `--http-listen ADDR` / `--no-http`, `--log-format`, `--log-level` of `pipe run` and `pipe up`. */
export interface WorkerFlags {
  http?: boolean;
  httpListen?: string;
  logFormat?: string;
  logLevel?: string;
}

/** The options `pipe run` and `pipe up` share: the environment, the HTTP server and the log. */
export function withWorkerOptions(command: Command): Command {
  return command
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option(
      '--http-listen <host:port>',
      "address of the worker's HTTP server (health, readiness, metrics, Connect's REST API); overrides worker.http.listen",
    )
    .option('--no-http', 'start no HTTP server')
    .option(
      '--log-format <format>',
      'human (the default) or json: one JSON object a line with time, level, connector, task, message and error_code',
    )
    .option('--log-level <level>', 'error, warn or info (the default): leave out what is less severe');
}

export async function startWorker(project: ProjectSpec, flags: WorkerFlags = {}): Promise<ServedWorker> {
  const configs = `${project.state.topicPrefix}.configs`;
  let ready = false;
  const served = await startServedWorker({
    project,
    log: workerLog,
    onState: (e) => workerLog.state(e),
    onRole: (role) => {
      if (!ready) return;
      workerLog.info(
        role === 'active'
          ? `this worker is now the active one: running the connectors of ${configs}`
          : 'standing by: another worker of this project is active now',
      );
    },
    ...(flags.http === false
      ? {}
      : {
          http: {
            ...(flags.httpListen === undefined
              ? { listen: project.worker.httpListen, setting: 'worker.http.listen in pipeline.config.yaml' }
              : { listen: flags.httpListen, setting: '--http-listen' }),
            tls: project.worker.httpTls,
            basicAuth: project.worker.httpBasicAuth,
          },
        }),
  });
  ready = true;
  const { worker } = served;
  // Failing to get ready is reported where `ready` is awaited; this only waits for it.
  let stopFollowing = () => {};
  worker.ready.then(
    () => {
      stopFollowing = followWorkload(() => worker.recordsMoved());
    },
    () => {},
  );
  workerLog.info(
    worker.role === 'active'
      ? `worker ${worker.id} is active: running the connectors of ${configs}`
      : `worker ${worker.id} stands by: another worker runs the connectors of ${configs}; this one takes over within seconds if it stops`,
  );
  if (served.http)
    workerLog.info(
      `HTTP server on ${project.worker.httpTls ? 'https' : 'http'}://${hostPort(served.http.address)} (/health, /ready, /metrics, /connectors)${project.worker.httpBasicAuth ? ', basic authentication' : ''}`,
    );
  return {
    ...served,
    stop: () => {
      stopFollowing();
      return served.stop();
    },
  };
}

function hostPort({ host, port }: { host: string; port: number }): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Stops the worker: tasks send, flush and commit within the stop timeout; if
 * the whole stop outlasts it by far (a broker gone), the process leaves with
 * an error rather than hang. The HTTP server answers until the worker is gone.
 */
export async function stopWorker(served: ServedWorker, signal: string): Promise<number> {
  workerLog.info(`${signal}: stopping (sending, flushing and committing what was read)`);
  const deadline = setTimeout(() => {
    workerLog.error('the worker did not stop in time; leaving without a clean stop');
    process.exit(EXIT.error);
  }, DEFAULT_STOP_TIMEOUT_MS + 5000);
  deadline.unref();
  await served.stop();
  clearTimeout(deadline);
  workerLog.info('stopped');
  return EXIT.ok;
}
