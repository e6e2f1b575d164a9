/**
 * The Kafka Connect runtime: connectors run on a distributed Connect cluster,
 * read and changed through its REST API. Ownership stays in the project's
 * state topics (apply writes it); this class only talks to the cluster.
 */
import type { ConnectorSpec, ConnectRuntimeSpec, TargetState } from '../../config/model.js';
import { isPipeError, PipeError } from '../../errors.js';
import type { RuntimeState } from '../../state/records.js';
import {
  type ConnectorOffset,
  KAFKA_OFFSET,
  KAFKA_PARTITION,
  KAFKA_TOPIC,
  sinkOffset,
  sortOffsets,
} from '../offsets.js';
import type {
  ConnectorStatus,
  DeleteResult,
  LiveConnector,
  OffsetsSpec,
  Runtime,
  RuntimeRead,
  RuntimeStatus,
} from '../runtime.js';
import { ConnectClient, type ConnectClientOptions, messageOfBody } from './client.js';
import { pipeFieldOf, toConnectConfig } from './mapping.js';

interface RestStatus {
  name: string;
  connector: { state: RuntimeState; worker_id: string; trace?: string };
  tasks: Array<{ id: number; state: RuntimeState; worker_id: string; trace?: string }>;
  type?: string;
}

interface RestInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type?: string;
}

type Expanded = Record<string, { info?: RestInfo; status?: RestStatus }>;

export interface ConfigError {
  /** The pipe field at fault (`config.database.port`, `tasks`), for the YAML position. */
  field: string;
  /** Connect's config key. */
  key: string;
  message: string;
}

export type Validation =
  | { ok: true }
  | { ok: false; errors: ConfigError[] }
  | { ok: false; missingClass: string; installed: string[] };

/** `3.9.1` → [3, 9]; an unknown shape compares as the oldest. */
export function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** What Connect's status says about the target state: PAUSED and STOPPED are targets; anything else runs. */
function targetOf(state: RuntimeState | undefined): TargetState {
  if (state === 'PAUSED') return 'paused';
  if (state === 'STOPPED') return 'stopped';
  return 'running';
}

function statusOf(s: RestStatus, at: number): ConnectorStatus {
  return {
    state: s.connector.state,
    workerId: s.connector.worker_id,
    // REST answers the cluster's state now, not a record left by an earlier run.
    reportedAt: at,
    trace: s.connector.trace ?? null,
    tasks: s.tasks
      .map((t) => ({ id: t.id, state: t.state, trace: t.trace ?? null, workerId: t.worker_id }))
      .sort((a, b) => a.id - b.id),
  };
}

const path = (name: string) => `/connectors/${encodeURIComponent(name)}`;

export interface ConnectRuntimeOptions {
  spec: ConnectRuntimeSpec;
  /** The project folder, for `${file:…}` paths given relative to it. */
  projectDir: string;
  client?: Partial<ConnectClientOptions>;
  sleep?: (ms: number) => Promise<void>;
}

/** Connect's words when a stopped sink's tasks have not yet left its consumer group ("…can be safely retried"). */
const TASKS_STILL_STOPPING = /haven't stopped completely/;

export class ConnectRuntime implements Runtime {
  readonly name: string;
  readonly needsWorker = false;
  readonly client: ConnectClient;
  readonly #o: ConnectRuntimeOptions;
  readonly #sleep: (ms: number) => Promise<void>;
  #root?: Promise<{ version: string; kafkaClusterId?: string }>;

  constructor(options: ConnectRuntimeOptions) {
    const { spec } = options;
    this.name = spec.name;
    this.#o = options;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.client = new ConnectClient({
      runtime: spec.name,
      urls: spec.urls,
      ...(spec.auth ? { auth: spec.auth } : {}),
      ...(spec.tls ? { tls: spec.tls } : {}),
      requestTimeoutMs: spec.requestTimeoutMs,
      deadlineMs: spec.deadlineMs,
      ...options.client,
    });
  }

  cannotRun(spec: Pick<ConnectorSpec, 'connector'>): string | undefined {
    if (spec.connector === 'file' || spec.connector.startsWith('connect:')) return undefined;
    return `${spec.connector} is built into pipe and runs only on the embedded runtime`;
  }

  /** The cluster's Kafka release and the Kafka cluster its workers use (`GET /`), asked once. */
  #rootInfo(): Promise<{ version: string; kafkaClusterId?: string }> {
    this.#root ??= this.client.expect('GET', '/').then((r) => {
      const body = r.body as { version?: string; kafka_cluster_id?: string };
      return {
        version: String(body.version),
        ...(body.kafka_cluster_id ? { kafkaClusterId: body.kafka_cluster_id } : {}),
      };
    });
    this.#root.catch(() => {
      this.#root = undefined;
    });
    return this.#root;
  }

  /** The cluster's Kafka release (`GET /`), asked once. */
  async version(): Promise<string> {
    return (await this.#rootInfo()).version;
  }

  async #expanded(): Promise<Expanded> {
    const res = await this.client.expect('GET', '/connectors?expand=info&expand=status');
    return (res.body ?? {}) as Expanded;
  }

  async read(): Promise<RuntimeRead> {
    const [{ version, kafkaClusterId }, expanded] = await Promise.all([this.#rootInfo(), this.#expanded()]);
    const at = Date.now();
    const live: Record<string, LiveConnector> = {};
    const connectors: Record<string, ConnectorStatus> = {};
    for (const [name, entry] of Object.entries(expanded).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const { name: _name, ...config } = entry.info?.config ?? {};
      const status = entry.status ? statusOf(entry.status, at) : undefined;
      if (status) connectors[name] = status;
      live[name] = {
        name,
        config,
        state: targetOf(entry.status?.connector.state),
        ...(status ? { status } : {}),
      };
    }
    return {
      status: { connectors, liveWorkers: [] },
      live,
      version,
      ...(kafkaClusterId ? { kafkaClusterId } : {}),
      dropsOffsets: versionAtLeast(version, 3, 6),
      readsOffsets: versionAtLeast(version, 3, 5),
    };
  }

  async status(): Promise<RuntimeStatus> {
    const res = await this.client.expect('GET', '/connectors?expand=status');
    const at = Date.now();
    const connectors: Record<string, ConnectorStatus> = {};
    for (const [name, entry] of Object.entries((res.body ?? {}) as Expanded)) {
      if (entry.status) connectors[name] = statusOf(entry.status, at);
    }
    return { connectors, liveWorkers: [] };
  }

  #config(spec: ConnectorSpec): Record<string, string> {
    const mapped = toConnectConfig(spec, this.#o.spec, this.#o.projectDir);
    if (!mapped.ok) {
      throw new PipeError(
        'CONNECTOR_CONFIG',
        `${spec.kind}s.${spec.name}.${mapped.field}: ${mapped.message}`,
        {
          meta: { field: mapped.field, hint: mapped.hint },
        },
      );
    }
    return mapped.config;
  }

  async putConnector(_project: string, spec: ConnectorSpec): Promise<void> {
    const config = this.#config(spec);
    const target = { running: 'resume', paused: 'pause', stopped: 'stop' }[spec.state];
    if (spec.state !== 'running' && versionAtLeast(await this.version(), 3, 7)) {
      // A connector created paused or stopped never runs, not even for a moment (initial_state, 3.7+).
      const exists = await this.client.expect('GET', path(spec.name), undefined, [404]);
      if (exists.status === 404) {
        const created = await this.client.expect(
          'POST',
          '/connectors',
          { name: spec.name, config, initial_state: spec.state.toUpperCase() },
          [409],
        );
        if (created.status !== 409) return;
      }
    }
    await this.client.expect('PUT', `${path(spec.name)}/config`, config);
    // A worker other than the leader may not have read the new connector yet (Connect 3.9 answers 404).
    const deadline = Date.now() + this.#o.spec.deadlineMs;
    for (;;) {
      const res = await this.client.expect('PUT', `${path(spec.name)}/${target}`, undefined, [404]);
      if (res.status !== 404) return;
      if (Date.now() > deadline) {
        throw new PipeError(
          'RUNTIME_REQUEST',
          `Kafka Connect runtime "${this.name}" still does not know connector ${spec.name} ${this.#o.spec.deadlineMs} ms after creating it`,
        );
      }
      await this.#sleep(250);
    }
  }

  /** Waits until the connector reports STOPPED: only then does Connect change its offsets. */
  async #stopped(name: string): Promise<boolean> {
    const deadline = Date.now() + this.#o.spec.deadlineMs;
    for (;;) {
      const res = await this.client.expect('GET', `${path(name)}/status`, undefined, [404]);
      if (res.status === 404) return false;
      const s = res.body as RestStatus;
      if (s.connector.state === 'STOPPED' && s.tasks.length === 0) return true;
      if (Date.now() > deadline) {
        throw new PipeError(
          'TIMEOUT',
          `connector ${name} on runtime "${this.name}" did not stop within ${this.#o.spec.deadlineMs} ms (it is ${s.connector.state})`,
        );
      }
      await this.#sleep(250);
    }
  }

  async deleteConnector(
    spec: Pick<ConnectorSpec, 'kind' | 'name'>,
    options: { keepSinkGroup?: boolean } = {},
  ): Promise<DeleteResult> {
    let offsetsDropped = 0;
    let groupDeleted = false;
    // Connect's reset of a sink's offsets deletes its consumer group: kept, it is not reset.
    const keep = spec.kind === 'sink' && options.keepSinkGroup;
    if (!keep && versionAtLeast(await this.version(), 3, 6)) {
      const stop = await this.client.expect('PUT', `${path(spec.name)}/stop`, undefined, [404]);
      if (stop.status === 404) return { offsetsDropped, groupDeleted };
      if (await this.#stopped(spec.name)) {
        const offsets = await this.client.expect('GET', `${path(spec.name)}/offsets`, undefined, [404]);
        const count = ((offsets.body as { offsets?: unknown[] } | undefined)?.offsets ?? []).length;
        const reset = await this.#change(spec.name, 'DELETE').then(
          () => true,
          (err: unknown) => {
            if (isPipeError(err) && err.code === 'CONNECTOR_UNKNOWN') return false;
            throw err;
          },
        );
        if (reset) {
          offsetsDropped = spec.kind === 'source' ? count : 0;
          groupDeleted = spec.kind === 'sink' && count > 0;
        }
      }
    }
    await this.client.expect('DELETE', path(spec.name), undefined, [404]);
    return { offsetsDropped, groupDeleted };
  }

  async restart(name: string, options: { onlyFailed: boolean }): Promise<void> {
    const res = await this.client.expect(
      'POST',
      `${path(name)}/restart?includeTasks=true&onlyFailed=${options.onlyFailed}`,
      undefined,
      [404],
    );
    if (res.status === 404) {
      throw new PipeError('RUNTIME_REQUEST', `runtime "${this.name}" has no connector ${name}`, {
        meta: { hint: '`pipe status` lists the connectors and where they run' },
      });
    }
  }

  async setTargetState(
    _project: string,
    spec: Pick<ConnectorSpec, 'name'>,
    state: TargetState,
  ): Promise<void> {
    const verb = { running: 'resume', paused: 'pause', stopped: 'stop' }[state];
    const tasks = state === 'stopped' ? await this.#taskIds(spec.name) : [];
    // A worker that has not read a just-created connector yet answers 404 (Kafka Connect 3.9): asked again until the deadline.
    const deadline = Date.now() + this.#o.spec.deadlineMs;
    for (;;) {
      const res = await this.client.expect('PUT', `${path(spec.name)}/${verb}`, undefined, [404]);
      if (res.status !== 404 && (state !== 'stopped' || (await this.#stopped(spec.name)))) break;
      if (Date.now() > deadline) throw this.#unknown(spec.name);
      await this.#sleep(250);
    }
    if (state === 'stopped') await this.#tasksShutDown(spec.name, tasks, deadline);
  }

  async #taskIds(name: string): Promise<number[]> {
    const res = await this.client.expect('GET', `${path(name)}/status`, undefined, [404]);
    return res.status === 404 ? [] : (res.body as RestStatus).tasks.map((t) => t.id);
  }

  /**
   * STOPPED with no tasks comes when the task configs are gone, before the
   * tasks themselves have stopped and committed their last offsets; a task's
   * own status turns UNASSIGNED only after that final commit. Offsets read or
   * written before would miss it, or be overwritten by it.
   */
  async #tasksShutDown(name: string, tasks: readonly number[], deadline: number): Promise<void> {
    for (const id of tasks) {
      for (;;) {
        const res = await this.client.expect('GET', `${path(name)}/tasks/${id}/status`, undefined, [404]);
        const state = res.status === 404 ? undefined : (res.body as { state?: string }).state;
        if (state !== 'RUNNING' && state !== 'PAUSED' && state !== 'RESTARTING') break;
        if (Date.now() > deadline) {
          throw new PipeError(
            'CONNECTOR_RUNNING',
            `task ${id} of connector ${name} on runtime "${this.name}" is still ${state} after the connector stopped`,
            { meta: { hint: 'its worker may be slow to stop it: try again' } },
          );
        }
        await this.#sleep(250);
      }
    }
  }

  #unknown(name: string): PipeError {
    return new PipeError('CONNECTOR_UNKNOWN', `runtime "${this.name}" has no connector ${name}`, {
      meta: { hint: '`pipe status` lists the connectors and where they run' },
    });
  }

  /**
   * The offsets API (KIP-875) came in two steps: reading offsets (and the
   * STOPPED state) with Kafka Connect 3.5, changing them with 3.6; a 3.5
   * worker answers PATCH and DELETE with 405.
   */
  async #assertOffsetsApi(change: boolean): Promise<void> {
    const version = await this.version();
    if (!versionAtLeast(version, 3, 5)) {
      throw new PipeError(
        'OFFSETS_UNSUPPORTED',
        `Kafka Connect runtime "${this.name}" runs ${version}, which has no offsets API (reading offsets came with 3.5, changing them with 3.6): pipe cannot read or change its connectors' offsets`,
        { meta: { hint: 'upgrade the Connect cluster to 3.6 or later' } },
      );
    }
    if (change && !versionAtLeast(version, 3, 6)) {
      throw new PipeError(
        'OFFSETS_UNSUPPORTED',
        `Kafka Connect runtime "${this.name}" runs ${version}, which cannot change offsets (PATCH and DELETE /connectors/{name}/offsets came with 3.6): pipe can read its connectors' offsets, not change them`,
        { meta: { hint: 'upgrade the Connect cluster to 3.6 or later' } },
      );
    }
  }

  async offsets(_project: string, spec: OffsetsSpec): Promise<ConnectorOffset[]> {
    await this.#assertOffsetsApi(false);
    const res = await this.client.expect('GET', `${path(spec.name)}/offsets`, undefined, [404]);
    if (res.status === 404) throw this.#unknown(spec.name);
    const offsets = (res.body as { offsets?: ConnectorOffset[] } | undefined)?.offsets ?? [];
    // Connect writes a sink's partition in HashMap order: shown in one order, as the embedded runtime shows it.
    return sortOffsets(
      offsets.map((o) =>
        spec.kind === 'sink' && o.offset !== null
          ? sinkOffset(
              String(o.partition[KAFKA_TOPIC]),
              Number(o.partition[KAFKA_PARTITION]),
              Number(o.offset[KAFKA_OFFSET]),
            )
          : { partition: o.partition, offset: o.offset },
      ),
    );
  }

  /** Connect's answer to a change of offsets: 404 unknown, 400 running or refused by the connector. */
  async #change(name: string, method: 'PATCH' | 'DELETE', body?: unknown): Promise<void> {
    await this.#assertOffsetsApi(true);
    const deadline = Date.now() + this.#o.spec.deadlineMs;
    let res = await this.client.request(method, `${path(name)}/offsets`, body);
    // A sink just stopped may still have tasks in its consumer group: Connect answers 500 and says to ask again.
    while (
      res.status === 500 &&
      TASKS_STILL_STOPPING.test(messageOfBody(res.body)) &&
      Date.now() < deadline
    ) {
      await this.#sleep(250);
      res = await this.client.request(method, `${path(name)}/offsets`, body);
    }
    if (res.status >= 200 && res.status < 300) return;
    const message = messageOfBody(res.body);
    if (res.status === 404) throw this.#unknown(name);
    if (res.status === 400 && /must be in the STOPPED state/i.test(message)) {
      throw new PipeError(
        'CONNECTOR_RUNNING',
        `connector ${name} on runtime "${this.name}" is not stopped: Kafka Connect changes offsets only while it is STOPPED`,
        { meta: { hint: 'use `pipe offsets`, which stops it first and resumes it after', connect: message } },
      );
    }
    if (res.status === 400) {
      throw new PipeError(
        'OFFSETS_INVALID',
        `Kafka Connect runtime "${this.name}" refused the offsets of ${name}: ${message}`,
      );
    }
    throw new PipeError(
      'RUNTIME_REQUEST',
      `Kafka Connect runtime "${this.name}" answered ${method} ${path(name)}/offsets with ${res.status}: ${message}`,
    );
  }

  alterOffsets(_project: string, spec: OffsetsSpec, offsets: readonly ConnectorOffset[]): Promise<void> {
    return this.#change(spec.name, 'PATCH', { offsets });
  }

  resetOffsets(_project: string, spec: OffsetsSpec): Promise<void> {
    return this.#change(spec.name, 'DELETE');
  }

  /**
   * The keys of a connector's config that its plugin declares of type
   * PASSWORD (Connect's validate lists each definition); none when the
   * cluster cannot validate it (a class it lacks).
   */
  async passwordKeys(name: string, config: Record<string, string>): Promise<string[]> {
    const cls = config['connector.class'];
    if (!cls) return [];
    const res = await this.client.request(
      'PUT',
      `/connector-plugins/${encodeURIComponent(cls)}/config/validate`,
      { ...config, name },
    );
    if (res.status < 200 || res.status >= 300) return [];
    const body = res.body as { configs?: Array<{ definition?: { name?: string; type?: string } }> };
    return (body.configs ?? []).flatMap((c) =>
      c.definition?.type === 'PASSWORD' && c.definition.name ? [c.definition.name] : [],
    );
  }

  async plugins(): Promise<string[]> {
    const res = await this.client.expect('GET', '/connector-plugins?connectorsOnly=true');
    return ((res.body ?? []) as Array<{ class: string }>).map((p) => p.class).sort();
  }

  /** Connect's own check of a config (`PUT /connector-plugins/{class}/config/validate`), before anything changes. */
  async validate(spec: ConnectorSpec): Promise<Validation> {
    const mapped = toConnectConfig(spec, this.#o.spec, this.#o.projectDir);
    if (!mapped.ok) return { ok: true };
    const cls = mapped.connectorClass;
    const res = await this.client.request(
      'PUT',
      `/connector-plugins/${encodeURIComponent(cls)}/config/validate`,
      { ...mapped.config, name: spec.name },
    );
    if (
      res.status === 404 ||
      (res.status >= 400 && /find any class|not found/i.test(messageOfBody(res.body)))
    ) {
      return { ok: false, missingClass: cls, installed: await this.plugins() };
    }
    if (res.status < 200 || res.status >= 300) {
      throw new PipeError(
        'RUNTIME_REQUEST',
        `Kafka Connect runtime "${this.name}" could not validate ${spec.name}: ${res.status} ${messageOfBody(res.body)}`,
      );
    }
    const body = res.body as {
      error_count: number;
      configs: Array<{ value: { name: string; errors: string[] } }>;
    };
    if (body.error_count === 0) return { ok: true };
    const errors: ConfigError[] = [];
    for (const c of body.configs) {
      for (const message of c.value.errors) {
        errors.push({ key: c.value.name, field: pipeFieldOf(c.value.name, spec), message });
      }
    }
    return { ok: false, errors };
  }
}
