/**
 * Connect's configuration routes, served when `worker.http.allowWrites` is
 * on: `POST /connectors`, `PUT /connectors/{name}/config` and `DELETE
 * /connectors/{name}`, with Connect's status codes, answers and error
 * messages. The change goes to the configs topic marked as made outside pipe
 * (ConnectorWrites), so the next `pipe plan` shows it against the YAML
 * rather than overwriting it unseen.
 */
import type { ConnectorSpec, TargetState } from '../../config/model.js';
import { isPlainObject } from '../../state/guards.js';
import { sealSpec } from '../../state/secrets.js';
import { connectConfig } from './connect-config.js';
import { error, notFound, type Reply } from './reply.js';
import { specFromRestConfig } from './rest-config.js';
import type { ConnectorWrites } from './worker-view.js';

export interface WriteRequest {
  method: string;
  /** From the URL; undefined for `POST /connectors`. */
  name: string | undefined;
  body: unknown;
  projectDir: string;
}

/** Connect 3.5+'s `initial_state` of a created connector. */
const INITIAL_STATES: Record<string, TargetState> = {
  RUNNING: 'running',
  PAUSED: 'paused',
  STOPPED: 'stopped',
};

/** Secrets posted as `${env:…}`/`${file:…}` are answered as those references, as GET …/config answers them. */
function info(spec: ConnectorSpec, tasks: number): Record<string, unknown> {
  return {
    name: spec.name,
    config: connectConfig(sealSpec(spec)),
    tasks: Array.from({ length: tasks }, (_, task) => ({ connector: spec.name, task })),
    type: spec.kind,
  };
}

/** Connect's check: a `name` in the config must be the connector's. */
function nameMismatch(name: string, config: Record<string, unknown>): Reply | undefined {
  const inConfig = config['name'];
  return inConfig === undefined || inConfig === name
    ? undefined
    : error(
        400,
        `Connector name configuration (${String(inConfig)}) doesn't match connector name in the URL (${name})`,
      );
}

export async function writeConnector(writes: ConnectorWrites, r: WriteRequest): Promise<Reply> {
  if (r.method === 'DELETE') {
    const name = r.name ?? '';
    if (!writes.exists(name)) return notFound(name);
    await writes.remove(name);
    return { status: 204 };
  }
  if (r.method === 'POST') return create(writes, r);
  const name = r.name ?? '';
  if (!isPlainObject(r.body)) return error(400, 'the request body must be a connector config: a JSON object');
  const exists = writes.exists(name);
  const put = await putConfig(writes, name, r.body, r.projectDir, undefined);
  if ('refused' in put) return put.refused;
  // Connect answers a change with the tasks the connector has, a creation with none yet.
  return exists
    ? { status: 200, body: info(put.stored, put.stored.tasks) }
    : { status: 201, body: info(put.stored, 0) };
}

async function create(writes: ConnectorWrites, r: WriteRequest): Promise<Reply> {
  const body = isPlainObject(r.body) ? r.body : {};
  const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
  if (name === '') return error(400, 'Connector name must be set');
  if (name.includes('/')) return error(400, "connector name should not contain '/'");
  if (!isPlainObject(body['config'])) return error(400, 'Connector config must be set');
  const initial = body['initial_state'];
  const state = initial === undefined || initial === null ? undefined : INITIAL_STATES[String(initial)];
  if (initial !== undefined && initial !== null && state === undefined)
    return error(400, `initial_state ${String(initial)} is not one of RUNNING, PAUSED, STOPPED`);
  if (writes.exists(name)) return error(409, `Connector ${name} already exists`);
  const put = await putConfig(writes, name, body['config'], r.projectDir, state);
  return 'refused' in put ? put.refused : { status: 201, body: info(put.stored, 0) };
}

/** Checks the config as a pipeline file's declaration and writes it: the spec as stored, or Connect's 400. */
async function putConfig(
  writes: ConnectorWrites,
  name: string,
  config: Record<string, unknown>,
  projectDir: string,
  state: TargetState | undefined,
): Promise<{ stored: ConnectorSpec } | { refused: Reply }> {
  const mismatch = nameMismatch(name, config);
  if (mismatch) return { refused: mismatch };
  if (config['connector.class'] === undefined)
    return { refused: error(400, `Connector config ${JSON.stringify(config)} contains no connector type`) };
  const checked = specFromRestConfig(name, config, { dir: projectDir });
  if (!checked.ok) {
    const n = checked.errors.length;
    return {
      refused: error(
        400,
        `Connector configuration is invalid and contains the following ${n} error(s):\n${checked.errors.join('\n')}`,
      ),
    };
  }
  const spec = state === undefined ? checked.spec : { ...checked.spec, state };
  return { stored: await writes.put(spec) };
}
