/**
 * The embedded worker with its HTTP server, as `pipe run` and `pipe up` start
 * it. The server listens first, so a port in use ends the start before Kafka
 * is contacted; it answers `/health` 503 until the worker has read its configs.
 */
import { hostname } from 'node:os';
import type { HttpTlsSettings } from '../../config/model.js';
import { sealSpec } from '../../state/secrets.js';
import { Worker, type WorkerOptions } from '../worker.js';
import type { Credentials } from './basic-auth.js';
import type { ListenAddress } from './listen-address.js';
import { type HttpServer, startHttpServer } from './server.js';
import { type ConnectorWrites, LiveWorkerView } from './worker-view.js';

export interface ServedWorkerOptions extends WorkerOptions {
  /** Absent: no HTTP server. `setting` says where the address came from, for errors. */
  http?: {
    listen: string;
    setting: string;
    tls?: HttpTlsSettings | undefined;
    basicAuth?: Credentials | undefined;
  };
}

export interface ServedWorker {
  worker: Worker;
  http: HttpServer | undefined;
  /** Stops the worker, then the server, so it answers until the worker is gone. */
  stop(): Promise<void>;
}

export async function startServedWorker(o: ServedWorkerOptions): Promise<ServedWorker> {
  const workerId = o.workerId ?? `${hostname()}:${process.pid}`;
  const view = new LiveWorkerView(workerId, o.project.dir);
  const http = o.http ? await startHttpServer({ ...o.http, view }) : undefined;
  let worker: Worker;
  try {
    worker = await Worker.start({
      ...o,
      workerId,
      ...(http && o.http ? { advertisedUrl: advertisedUrl(http.address, o.http.tls !== undefined) } : {}),
      onState: (e) => {
        view.states.record(e);
        o.onState?.(e);
      },
    });
    const w = worker;
    view.attach(
      w.herder,
      {
        // A worker taking over is not ready before it started the connectors.
        role: () => (w.herder.isServing ? 'active' : 'standby'),
        clusterId: () => w.clusterId(),
        offsetsOf: (spec) => w.offsetsOf(spec),
        setTargetState: (name, target) => w.setTargetState(name, target),
        restart: (name, options) => w.herder.restart(name, options),
        restartTask: (name, task) => w.herder.restartTask(name, task),
        activeTopics: (name) => w.activeTopics(name),
        activeWorkerUrl: () => w.activeWorkerUrl(),
      },
      o.project.worker.httpAllowWrites ? restWrites(w, o.project.name) : undefined,
    );
    await worker.ready;
  } catch (err) {
    await http?.close();
    throw err;
  }
  view.markStarted();
  return {
    worker,
    http,
    stop: async () => {
      await worker.stop();
      await http?.close();
    },
  };
}

/**
 * Where other workers reach this one: the address it listens on, or this
 * machine's name when it listens on every interface (Connect's
 * `rest.advertised.host.name` defaults the same way).
 */
function advertisedUrl(address: ListenAddress, https: boolean): string {
  const any = address.host === '0.0.0.0' || address.host === '::' || address.host === '[::]';
  const host = any
    ? hostname()
    : address.host.includes(':') && !address.host.startsWith('[')
      ? `[${address.host}]`
      : address.host;
  return `${https ? 'https' : 'http'}://${host}:${address.port}`;
}

/**
 * Connect's config changes on the worker's state topics: each record says it
 * was written outside pipe, by this worker's REST API, and whether an apply
 * ever wrote the connector (a delete of one the YAML never declared is then
 * worded as such by the plan).
 */
function restWrites(worker: Worker, project: string): ConnectorWrites {
  const outside = () => ({ via: 'rest' as const, worker: worker.id, at: new Date().toISOString() });
  return {
    exists: (name) => worker.recorded(name) !== undefined,
    put: async (spec) => {
      const before = worker.recorded(spec.name);
      const { origin: _origin, ...plain } = spec;
      const stored = sealSpec(plain);
      const created = before === undefined || (before.outsidePipe?.created ?? false);
      await worker.putConnector(
        {
          project: before?.project ?? project,
          spec: stored,
          appliedAt: new Date().toISOString(),
          outsidePipe: { ...outside(), created },
        },
        before === undefined,
      );
      return { ...stored, origin: spec.origin };
    },
    remove: (name) => worker.deleteConnector(name, { project, ...outside() }),
  };
}
