/**
 * The worker's HTTP routes: liveness, readiness, and Kafka Connect's REST
 * read routes for status, with Connect's shapes and error bodies
 * (../shared/CONNECT.md). Pure over a WorkerView, so tested without a socket.
 */
import type { ConnectorView, WorkerView } from './worker-view.js';
import { notReady } from './worker-view.js';

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

export function route(view: WorkerView, method: string, url: string): Reply | undefined {
  const { pathname, searchParams } = new URL(url, 'http://worker');
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
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
    if (!searchParams.getAll('expand').includes('status'))
      return { status: 200, body: connectors.map((c) => c.name).sort() };
    return {
      status: 200,
      body: Object.fromEntries(
        connectors.map((c) => [c.name, { status: connectorStatus(c, view.workerId) }]),
      ),
    };
  }
  const c = connectors.find((x) => x.name === parts[1]);
  if (!c) return error(404, `Connector ${parts[1]} not found`);
  if (parts.length === 3 && parts[2] === 'status')
    return { status: 200, body: connectorStatus(c, view.workerId) };
  if (parts.length === 5 && parts[2] === 'tasks' && parts[4] === 'status') {
    const t = c.tasks.find((x) => String(x.task) === parts[3]);
    if (!t) return error(404, `Task ${c.name}-${parts[3]} not found`);
    return { status: 200, body: { id: t.task, ...stateOf(t.state, view.workerId, t.trace) } };
  }
  return undefined;
}
