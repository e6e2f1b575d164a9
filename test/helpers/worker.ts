/**
 * Helpers for the worker's integration tests: a project of its own (unique
 * state prefix, temporary folder), connector specs with Connect's defaults,
 * writing the configs records the way `apply` does, and a worker whose log
 * and state changes the test can read.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorSpec, ProjectSpec, TargetState } from '../../src/config/model.js';
import type { LogContext } from '../../src/connectors/api.js';
import { createKafka } from '../../src/kafka/client.js';
import { latestByKey, readTopicToEnd } from '../../src/kafka/read-topic.js';
import {
  configKey,
  encodeJson,
  type StatusRecord,
  stateTopicNames,
  statusKey,
  targetStateRecord,
} from '../../src/state/records.js';
import { ensureStateTopics } from '../../src/state/topics.js';
import { type StateEvent, Worker, type WorkerOptions } from '../../src/worker/worker.js';
import { connection, settled, uniqueName, waitFor } from './kafka.js';

/** `name-0: ` before a line about a task, `name: ` about a connector, as pipe run's log writes it. */
function about(c: LogContext | undefined): string {
  if (c?.connector === undefined) return '';
  return c.task === undefined ? `${c.connector}: ` : `${c.connector}-${c.task}: `;
}

export async function testProject(worker: Partial<ProjectSpec['worker']> = {}): Promise<ProjectSpec> {
  const dir = await mkdtemp(join(tmpdir(), 'pipe-worker-'));
  return {
    name: uniqueName('proj'),
    dir,
    kafka: connection('pipe-worker-test'),
    state: { topicPrefix: uniqueName('pipe-state'), replicationFactor: 1 },
    worker: {
      offsetStorage: 'kafka',
      offsetFile: 'offsets.json',
      offsetFlushIntervalMs: 500,
      exactlyOnce: false,
      httpListen: '127.0.0.1:0',
      ...worker,
    },
    sensitive: [],
  };
}

const JSON_SCHEMAS = { type: 'json', schemas: true, decimalFormat: 'BASE64' } as const;

export function connectorSpec(
  spec: Pick<ConnectorSpec, 'kind' | 'name' | 'connector' | 'config'> & Partial<ConnectorSpec>,
): ConnectorSpec {
  return {
    tasks: 1,
    key: JSON_SCHEMAS,
    value: JSON_SCHEMAS,
    header: { type: 'string', schemas: false, decimalFormat: 'BASE64' },
    transforms: [],
    errors: { tolerance: 'none', retries: 0 },
    state: 'running',
    protect: false,
    sensitive: [],
    origin: { file: 'pipelines/test.yaml', line: 1, column: 1 },
    ...spec,
  };
}

/**
 * applyConnector, retried until the broker takes it: on a loaded machine a
 * fresh broker may not have a leader yet for the state topics just created.
 * The records are keyed by connector, so writing them twice is harmless.
 */
export async function applyConnectorSteadily(project: ProjectSpec, spec: ConnectorSpec): Promise<void> {
  await waitFor('the connector applied', () =>
    applyConnector(project, spec).then(
      () => true,
      () => false,
    ),
  );
}

/** Writes the connector and its target state to the configs topic, as `apply` does. */
export async function applyConnector(
  project: ProjectSpec,
  spec: ConnectorSpec,
  target?: TargetState,
): Promise<void> {
  const names = await ensureState(project);
  const { origin: _origin, ...stored } = spec;
  const producer = createKafka(project.kafka).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await settled(() =>
      producer.send({
        topic: names.configs,
        acks: -1,
        messages: [
          {
            key: configKey.connector(spec.name),
            value: encodeJson({ project: project.name, spec: stored, appliedAt: new Date().toISOString() }),
          },
          {
            key: configKey.targetState(spec.name),
            value: encodeJson(targetStateRecord(target ?? spec.state)),
          },
        ],
      }),
    );
  } finally {
    await producer.disconnect();
  }
}

/**
 * The seed's standalone demo as config records: a `file` source writing
 * `topic` and a `file` sink reading it, each with Connect's default
 * converters (JSON with schemas).
 */
export async function applySeedPipeline(
  project: ProjectSpec,
  files: { topic: string; source: string; sink: string },
): Promise<void> {
  await applyConnector(
    project,
    connectorSpec({
      kind: 'source',
      name: uniqueName('local-file-source'),
      connector: 'file',
      topic: files.topic,
      config: { file: files.source },
    }),
  );
  await applyConnector(
    project,
    connectorSpec({
      kind: 'sink',
      name: uniqueName('local-file-sink'),
      connector: 'file',
      topics: [files.topic],
      config: { file: files.sink },
    }),
  );
}

export async function setTargetState(project: ProjectSpec, name: string, target: TargetState): Promise<void> {
  const producer = createKafka(project.kafka).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await settled(() =>
      producer.send({
        topic: stateTopicNames(project.state.topicPrefix).configs,
        acks: -1,
        messages: [{ key: configKey.targetState(name), value: encodeJson(targetStateRecord(target)) }],
      }),
    );
  } finally {
    await producer.disconnect();
  }
}

export async function deleteConnector(project: ProjectSpec, name: string): Promise<void> {
  const producer = createKafka(project.kafka).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await settled(() =>
      producer.send({
        topic: stateTopicNames(project.state.topicPrefix).configs,
        acks: -1,
        messages: [
          { key: configKey.connector(name), value: null },
          { key: configKey.targetState(name), value: null },
        ],
      }),
    );
  } finally {
    await producer.disconnect();
  }
}

async function ensureState(project: ProjectSpec) {
  const admin = createKafka(project.kafka).admin();
  await admin.connect();
  try {
    return await ensureStateTopics(admin, project.state);
  } finally {
    await admin.disconnect();
  }
}

export interface TestWorker {
  worker: Worker;
  logs: string[];
  events: StateEvent[];
  /** Waits until the connector's task `task` reported `state`. */
  taskState(connector: string, task: number, state: StateEvent['state']): Promise<StateEvent>;
  stop(): Promise<void>;
}

export async function startWorker(
  project: ProjectSpec,
  options: Partial<WorkerOptions> = {},
): Promise<TestWorker> {
  const logs: string[] = [];
  const events: StateEvent[] = [];
  const worker = await Worker.start({
    project,
    log: {
      info: (m, c) => logs.push(`info ${about(c)}${m}`),
      warn: (m, c) => logs.push(`warn ${about(c)}${m}`),
      error: (m, c) => logs.push(`error ${about(c)}${m}`),
    },
    onState: (e) => events.push(e),
    statusIntervalMs: 500,
    ...options,
  });
  await worker.ready;
  return {
    worker,
    logs,
    events,
    taskState: (connector, task, state) =>
      waitFor(
        `${connector}-${task} ${state} (events: ${JSON.stringify(events.map((e) => [e.connector, e.task, e.state, e.trace?.split('\n')[0]]))})`,
        () => events.find((e) => e.connector === connector && e.task === task && e.state === state),
      ),
    stop: () => worker.stop(),
  };
}

export async function statusOf(project: ProjectSpec, key: string): Promise<StatusRecord | undefined> {
  const latest = latestByKey(
    await readTopicToEnd(createKafka(project.kafka), stateTopicNames(project.state.topicPrefix).status),
  );
  const value = latest.get(key);
  return value ? JSON.parse(value.toString('utf8')) : undefined;
}

export { statusKey };
