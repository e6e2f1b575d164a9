/**
 * The worker's HTTP routes: liveness, readiness, and Kafka Connect's REST
 * API with Connect's shapes, status codes and error bodies
 * (../shared/CONNECT.md). Operations are served (pause, resume, stop,
 * restart); configuration changes are refused (409) in favour of `pipe
 * apply`, unless `worker.http.allowWrites` lets them through (rest-writes.ts).
 * Over a WorkerView, so tested without a socket.
 */
import { isPipeError, messageOf } from '../../errors.js';
import { connectorPlugins, pipeVersion } from './about.js';
import { connectConfig } from './connect-config.js';
import { error, notFound, type Reply } from './reply.js';
import { writeConnector } from './rest-writes.js';
import type { ConnectorView, WorkerView } from './worker-view.js';
import { notReady } from './worker-view.js';

/** Config changes come from the project's YAML, so an apply's plan sees every one of them. */
const WRITES_REFUSED =
  "pipe's worker takes connector configs from the project's YAML, the source of truth: change the pipeline file and run `pipe apply`";

export type { Reply };

/** Connect 4's state entry: its `version` is the connector plugin's, here pipe's own. */
function stateOf(state: string, workerId: string, trace: string | null): Record<string, unknown> {
  return { state, worker_id: workerId, version: pipeVersion(), ...(trace === null ? {} : { trace }) };
}

function connectorStatus(c: ConnectorView, workerId: string): Record<string, unknown> {
  return {
    name: c.name,
    connector: stateOf(c.state, workerId, c.trace),
    tasks: c.tasks.map((t) => ({ id: t.task, ...stateOf(t.state, workerId, t.trace) })),
    type: c.kind,
  };
}

function connectorInfo(c: ConnectorView): Record<string, unknown> {
  return {
    name: c.name,
    config: connectConfig(c.spec),
    tasks: Array.from({ length: c.tasks.length }, (_, task) => ({ connector: c.name, task })),
    type: c.kind,
  };
}

function configWrite(method: string, parts: string[]): boolean {
  if (parts[0] !== 'connectors') return false;
  if (parts.length === 1) return method === 'POST';
  if (parts.length === 2) return method === 'DELETE';
  return parts.length === 3 && parts[2] === 'config' && method === 'PUT';
}

const TARGETS = { pause: 'paused', resume: 'running', stop: 'stopped' } as const;

/** Connect's answers: pause and resume are accepted (202), a stop is done (204). */
const TARGET_STATUS = { pause: 202, resume: 202, stop: 204 } as const;

function isTargetVerb(word: string | undefined): word is keyof typeof TARGETS {
  return word !== undefined && Object.hasOwn(TARGETS, word);
}

/** A failure of the worker's own (Kafka unreachable): Connect's 500 with the reason. */
async function orServerError(work: () => Promise<Reply>): Promise<Reply> {
  try {
    return await work();
  } catch (err) {
    return error(500, isPipeError(err) ? err.message : messageOf(err));
  }
}

/** `body`: the request's JSON, undefined when it had none. */
export async function route(
  view: WorkerView,
  method: string,
  url: string,
  body?: unknown,
): Promise<Reply | undefined> {
  const { pathname, searchParams } = new URL(url, 'http://worker');
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (configWrite(method, parts)) {
    const { writes } = view;
    if (writes)
      return orServerError(() =>
        writeConnector(writes, { method, name: parts[1], body, projectDir: view.projectDir }),
      );
    if (method === 'DELETE' && !view.connectors().some((c) => c.name === parts[1])) return notFound(parts[1]);
    return error(409, WRITES_REFUSED);
  }
  if (method === 'GET' && pathname === '/')
    return orServerError(async () => ({
      status: 200,
      body: { version: pipeVersion(), commit: 'pipe', kafka_cluster_id: await view.clusterId() },
    }));
  if (method === 'GET' && pathname === '/health') return health(view);
  if (method === 'GET' && pathname === '/ready') return ready(view);
  if (method === 'GET' && pathname === '/connector-plugins') return { status: 200, body: connectorPlugins() };
  if (parts[0] !== 'connectors') return undefined;
  const connectors = view.connectors();
  if (parts.length === 1) {
    if (method !== 'GET') return undefined;
    const expand = searchParams.getAll('expand');
    if (!expand.includes('status') && !expand.includes('info'))
      return { status: 200, body: connectors.map((c) => c.name).sort() };
    const expanded = (c: ConnectorView) => ({
      ...(expand.includes('info') ? { info: connectorInfo(c) } : {}),
      ...(expand.includes('status') ? { status: connectorStatus(c, view.workerId) } : {}),
    });
    return { status: 200, body: Object.fromEntries(connectors.map((c) => [c.name, expanded(c)])) };
  }
  const c = connectors.find((x) => x.name === parts[1]);
  if (!c) return notFound(parts[1]);
  return method === 'GET'
    ? read(view, c, parts.slice(2))
    : operate(view, c, method, parts.slice(2), searchParams);
}

function health(view: WorkerView): Reply {
  return view.started()
    ? {
        status: 200,
        body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
      }
    : { status: 503, body: { status: 'starting', message: 'Worker is still starting up.' } };
}

/**
 * Ready: the worker runs the project's connectors and each is in its target
 * state. A standby is alive (`/health` 200) but not ready: it runs nothing,
 * so a load balancer should send operators to the active worker.
 */
function ready(view: WorkerView): Reply {
  if (!view.started()) return { status: 503, body: { status: 'starting', connectors: [] } };
  if (view.role() === 'standby') return { status: 503, body: { status: 'standby', connectors: [] } };
  const waiting = notReady(view.connectors());
  return waiting.length === 0
    ? { status: 200, body: { status: 'ready', connectors: [] } }
    : { status: 503, body: { status: 'not ready', connectors: waiting } };
}

async function read(view: WorkerView, c: ConnectorView, rest: string[]): Promise<Reply | undefined> {
  const [what, id, sub] = rest;
  if (what === undefined) return { status: 200, body: connectorInfo(c) };
  if (rest.length === 1) {
    switch (what) {
      case 'config':
        return { status: 200, body: connectConfig(c.spec) };
      case 'status':
        return { status: 200, body: connectorStatus(c, view.workerId) };
      case 'tasks': {
        const config = connectConfig(c.spec);
        return {
          status: 200,
          body: c.tasks.map((t) => ({ id: { connector: c.name, task: t.task }, config })),
        };
      }
      case 'topics':
        return { status: 200, body: { [c.name]: { topics: c.topics } } };
      case 'offsets':
        return orServerError(async () => ({ status: 200, body: { offsets: await view.offsetsOf(c.spec) } }));
    }
  }
  if (rest.length === 3 && what === 'tasks' && sub === 'status') {
    const t = c.tasks.find((x) => String(x.task) === id);
    if (!t) return error(404, `Task ${c.name}-${id} not found`);
    return { status: 200, body: { id: t.task, ...stateOf(t.state, view.workerId, t.trace) } };
  }
  return undefined;
}

async function operate(
  view: WorkerView,
  c: ConnectorView,
  method: string,
  rest: string[],
  query: URLSearchParams,
): Promise<Reply | undefined> {
  const [what, id, sub] = rest;
  if (method === 'PUT' && rest.length === 1 && isTargetVerb(what)) {
    return orServerError(async () => {
      await view.setTargetState(c.name, TARGETS[what]);
      return { status: TARGET_STATUS[what] };
    });
  }
  if (method !== 'POST') return undefined;
  if (rest.length === 1 && what === 'restart') {
    const includeTasks = query.get('includeTasks') === 'true';
    const onlyFailed = query.get('onlyFailed') === 'true';
    view.restart(c.name, { includeTasks, onlyFailed });
    // Connect answers a restart of the connector alone without a body, for older clients.
    if (!includeTasks && !onlyFailed) return { status: 204 };
    const now = view.connectors().find((x) => x.name === c.name) ?? c;
    return { status: 202, body: connectorStatus(now, view.workerId) };
  }
  if (rest.length === 3 && what === 'tasks' && sub === 'restart') {
    const task = Number(id);
    if (!Number.isInteger(task) || !view.restartTask(c.name, task))
      return error(404, `Task ${c.name}-${id} not found`);
    return { status: 204 };
  }
  return undefined;
}
