/**
 * The worker's HTTP routes: liveness, readiness, and Kafka Connect's REST
 * read routes, with Connect's shapes and error bodies; config writes are
 * refused (409) in favour of `pipe apply`
 * (../shared/CONNECT.md). Pure over a WorkerView, so tested without a socket.
 */
import { connectConfig } from './connect-config.js';
import type { ConnectorView, WorkerView } from './worker-view.js';
import { notReady } from './worker-view.js';

/** Config changes come from the project's YAML, so an apply's plan sees every one of them. */
const WRITES_REFUSED =
  "pipe's worker takes connector configs from the project's YAML, the source of truth: change the pipeline file and run `pipe apply`";

export interface Reply {
  status: number;
  body: unknown;
}

function error(status: number, message: string): Reply {
  return { status, body: { error_code: status, message } };
}

function stateOf(state: string, workerId: string, trace: string | null): Record<string, unknown> {
  return { state, worker_id: workerId, ...(trace === null ? {} : { trace }) };
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

export function route(view: WorkerView, method: string, url: string): Reply | undefined {
  const { pathname, searchParams } = new URL(url, 'http://worker');
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (configWrite(method, parts)) {
    if (method === 'DELETE' && !view.connectors().some((c) => c.name === parts[1]))
      return error(404, `Connector ${parts[1]} not found`);
    return error(409, WRITES_REFUSED);
  }
  if (method !== 'GET') return undefined;
  if (pathname === '/health') {
    return view.started()
      ? {
          status: 200,
          body: {
            status: 'healthy',
            message: 'Worker has completed startup and is ready to handle requests.',
          },
        }
      : { status: 503, body: { status: 'starting', message: 'Worker is still starting up.' } };
  }
  if (pathname === '/ready') {
    if (!view.started()) return { status: 503, body: { status: 'starting', connectors: [] } };
    const waiting = notReady(view.connectors());
    return waiting.length === 0
      ? { status: 200, body: { status: 'ready', connectors: [] } }
      : { status: 503, body: { status: 'not ready', connectors: waiting } };
  }
  if (parts[0] !== 'connectors') return undefined;
  const connectors = view.connectors();
  if (parts.length === 1) {
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
  if (!c) return error(404, `Connector ${parts[1]} not found`);
  if (parts.length === 2) return { status: 200, body: connectorInfo(c) };
  if (parts.length === 3 && parts[2] === 'config') return { status: 200, body: connectConfig(c.spec) };
  if (parts.length === 3 && parts[2] === 'status')
    return { status: 200, body: connectorStatus(c, view.workerId) };
  if (parts.length === 3 && parts[2] === 'tasks') {
    const config = connectConfig(c.spec);
    return { status: 200, body: c.tasks.map((t) => ({ id: { connector: c.name, task: t.task }, config })) };
  }
  if (parts.length === 5 && parts[2] === 'tasks' && parts[4] === 'status') {
    const t = c.tasks.find((x) => String(x.task) === parts[3]);
    if (!t) return error(404, `Task ${c.name}-${parts[3]} not found`);
    return { status: 200, body: { id: t.task, ...stateOf(t.state, view.workerId, t.trace) } };
  }
  return undefined;
}
