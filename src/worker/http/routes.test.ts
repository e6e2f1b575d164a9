import { describe, expect, it } from 'vitest';
import type { ConnectorSpec } from '../../config/model.js';
import { TaskCounters } from '../metrics.js';
import { pipeVersion } from './about.js';
import { metricsRegistry } from './metrics-registry.js';
import { route } from './routes.js';
import type { ConnectorView, ConnectorWrites, WorkerView } from './worker-view.js';

const JSON_CONVERTER = { type: 'json', schemas: true, decimalFormat: 'BASE64' } as const;

function spec(
  name: string,
  kind: ConnectorSpec['kind'],
  config: Record<string, unknown> = {},
): ConnectorSpec {
  return {
    kind,
    name,
    connector: 'file',
    tasks: 1,
    ...(kind === 'source' ? { topic: 'orders' } : { topics: ['orders'] }),
    config,
    key: JSON_CONVERTER,
    value: JSON_CONVERTER,
    header: { type: 'string', schemas: false, decimalFormat: 'BASE64' },
    transforms: [],
    errors: { tolerance: 'none', retries: 0 },
    state: 'running',
    protect: false,
    sensitive: [],
    sealed: { 'config.password': '${env:PG_PASSWORD}' },
    origin: { file: 'pipelines/p.yaml', line: 1, column: 1 },
  };
}

function task(n: number, state: ConnectorView['state'], counts: Partial<TaskCounters> = {}) {
  const counters = Object.assign(new TaskCounters(), counts);
  return { task: n, state, trace: state === 'FAILED' ? 'boom\n  at x' : null, counters };
}

function viewOf(connectors: ConnectorView[], started = true, writes?: ConnectorWrites): WorkerView {
  return {
    workerId: 'w:1',
    projectDir: '/project',
    writes,
    started: () => started,
    connectors: () => connectors,
    role: () => 'active',
    clusterId: async () => 'cluster-1',
    offsetsOf: async () => [],
    setTargetState: async () => {},
    restart: () => undefined,
    restartTask: () => false,
    activeTopics: () => [],
    activeWorkerUrl: async () => undefined,
  };
}

const orders: ConnectorView = {
  name: 'orders',
  kind: 'source',
  spec: spec('orders', 'source', { file: '/data/in.txt', password: '${env:PG_PASSWORD}' }),
  target: 'running',
  state: 'RUNNING',
  trace: null,
  tasks: [task(0, 'RUNNING', { recordsIn: 5, recordsOut: 4, recordsFailed: 1, recordErrors: 1 })],
  topics: ['orders'],
};

describe('routes', () => {
  it("answers a connector's status in Connect's shape, a failed task with its trace", async () => {
    const failing = { ...orders, tasks: [task(0, 'FAILED')] };
    expect(await route(viewOf([failing]), 'GET', '/connectors/orders/status')).toEqual({
      status: 200,
      body: {
        name: 'orders',
        connector: { state: 'RUNNING', worker_id: 'w:1', version: pipeVersion() },
        tasks: [{ id: 0, state: 'FAILED', worker_id: 'w:1', version: pipeVersion(), trace: 'boom\n  at x' }],
        type: 'source',
      },
    });
    expect(await route(viewOf([orders]), 'GET', '/connectors/orders/tasks/0/status')).toEqual({
      status: 200,
      body: { id: 0, state: 'RUNNING', worker_id: 'w:1', version: pipeVersion() },
    });
  });

  it('lists connectors, with ?expand=status keyed by name', async () => {
    expect((await route(viewOf([orders]), 'GET', '/connectors'))?.body).toEqual(['orders']);
    const expanded = (await route(viewOf([orders]), 'GET', '/connectors?expand=status'))?.body;
    expect(expanded).toEqual({
      orders: { status: expect.objectContaining({ name: 'orders', type: 'source' }) },
    });
  });

  it("answers a connector's info, config and tasks in Connect's shapes, secrets as their references", async () => {
    const config = (await route(viewOf([orders]), 'GET', '/connectors/orders/config'))?.body;
    expect(config).toEqual({
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      name: 'orders',
      'tasks.max': '1',
      topic: 'orders',
      file: '/data/in.txt',
      password: '${env:PG_PASSWORD}',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'key.converter.decimal.format': 'BASE64',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
      'value.converter.decimal.format': 'BASE64',
      'header.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'errors.tolerance': 'none',
    });
    expect((await route(viewOf([orders]), 'GET', '/connectors/orders'))?.body).toEqual({
      name: 'orders',
      config,
      tasks: [{ connector: 'orders', task: 0 }],
      type: 'source',
    });
    expect((await route(viewOf([orders]), 'GET', '/connectors/orders/tasks'))?.body).toEqual([
      { id: { connector: 'orders', task: 0 }, config },
    ]);
    const both = (await route(viewOf([orders]), 'GET', '/connectors?expand=info&expand=status'))?.body;
    expect(Object.keys((both as Record<string, object>)['orders'] ?? {}).sort()).toEqual(['info', 'status']);
  });

  it('refuses config writes with 409 naming pipe apply; deleting an unknown connector is a 404', async () => {
    for (const [method, url] of [
      ['POST', '/connectors'],
      ['PUT', '/connectors/orders/config'],
      ['PUT', '/connectors/new-one/config'],
      ['DELETE', '/connectors/orders'],
    ] as const) {
      const reply = await route(viewOf([orders]), method, url);
      expect(reply?.status).toBe(409);
      expect(reply?.body).toEqual({ error_code: 409, message: expect.stringContaining('pipe apply') });
    }
    expect((await route(viewOf([orders]), 'DELETE', '/connectors/nope'))?.status).toBe(404);
  });

  it("answers an unknown connector or task with Connect's 404 body", async () => {
    expect(await route(viewOf([orders]), 'GET', '/connectors/nope/status')).toEqual({
      status: 404,
      body: { error_code: 404, message: 'Connector nope not found' },
    });
    expect((await route(viewOf([orders]), 'GET', '/connectors/orders/tasks/3/status'))?.status).toBe(404);
  });

  it('is healthy once started, and ready only when every connector and task is in its target state', async () => {
    expect((await route(viewOf([], false), 'GET', '/health'))?.status).toBe(503);
    expect((await route(viewOf([orders]), 'GET', '/health'))?.status).toBe(200);
    expect((await route(viewOf([orders]), 'GET', '/ready'))?.status).toBe(200);
    const paused = { ...orders, target: 'paused' as const, state: 'PAUSED' as const };
    expect(await route(viewOf([paused]), 'GET', '/ready')).toEqual({
      status: 503,
      body: { status: 'not ready', connectors: [{ name: 'orders', target: 'paused', state: 'PAUSED' }] },
    });
    const stopped = { ...orders, target: 'stopped' as const, state: 'STOPPED' as const, tasks: [] };
    expect((await route(viewOf([stopped]), 'GET', '/ready'))?.status).toBe(200);
  });
});

describe('secrets', () => {
  it('shows a secret given as a reference as its reference, and masks one written as it is', async () => {
    const withSecrets: ConnectorView = {
      ...orders,
      spec: {
        ...spec('orders', 'source', { password: '${env:PG_PASSWORD}', token: 'abc123', file: '/f' }),
        sensitive: ['config.password', 'config.token'],
      },
    };
    const config = (await route(viewOf([withSecrets]), 'GET', '/connectors/orders/config'))?.body;
    expect(config).toMatchObject({ password: '${env:PG_PASSWORD}', token: '(sensitive)', file: '/f' });
    const batched = { ...orders, spec: spec('orders', 'source', { file: '/f', batchSize: 500 }) };
    expect((await route(viewOf([batched]), 'GET', '/connectors/orders/config'))?.body).toMatchObject({
      'batch.size': '500',
    });
    const info = JSON.stringify((await route(viewOf([withSecrets]), 'GET', '/connectors?expand=info'))?.body);
    const tasks = JSON.stringify(
      (await route(viewOf([withSecrets]), 'GET', '/connectors/orders/tasks'))?.body,
    );
    for (const answer of [info, tasks]) expect(answer).not.toContain('abc123');
  });
});

describe('operations', () => {
  function recording(connectors: ConnectorView[]) {
    const calls: unknown[] = [];
    const view: WorkerView = {
      ...viewOf(connectors),
      offsetsOf: async (s) => [{ partition: { filename: `/data/${s.name}` }, offset: { position: 35 } }],
      setTargetState: async (name, target) => {
        calls.push(['target', name, target]);
      },
      restart: (name, o) => {
        calls.push(['restart', name, o]);
        return { connector: true, tasks: [] };
      },
      restartTask: (name, t) => {
        calls.push(['restartTask', name, t]);
        return t === 0;
      },
    };
    return { view, calls };
  }

  it("pauses, resumes and stops with Connect's status codes, and no body", async () => {
    const { view, calls } = recording([orders]);
    expect(await route(view, 'PUT', '/connectors/orders/pause')).toEqual({ status: 202 });
    expect(await route(view, 'PUT', '/connectors/orders/resume')).toEqual({ status: 202 });
    expect(await route(view, 'PUT', '/connectors/orders/stop')).toEqual({ status: 204 });
    expect(calls).toEqual([
      ['target', 'orders', 'paused'],
      ['target', 'orders', 'running'],
      ['target', 'orders', 'stopped'],
    ]);
    expect((await route(view, 'PUT', '/connectors/nope/pause'))?.status).toBe(404);
  });

  it('restarts the connector alone with 204, with its tasks with 202 and the status', async () => {
    const { view, calls } = recording([orders]);
    expect(await route(view, 'POST', '/connectors/orders/restart')).toEqual({ status: 204 });
    const both = await route(view, 'POST', '/connectors/orders/restart?includeTasks=true&onlyFailed=true');
    expect(both?.status).toBe(202);
    expect(both?.body).toMatchObject({ name: 'orders', type: 'source' });
    expect(await route(view, 'POST', '/connectors/orders/tasks/0/restart')).toEqual({ status: 204 });
    expect((await route(view, 'POST', '/connectors/orders/tasks/7/restart'))?.status).toBe(404);
    expect(calls).toEqual([
      ['restart', 'orders', { includeTasks: false, onlyFailed: false }],
      ['restart', 'orders', { includeTasks: true, onlyFailed: true }],
      ['restartTask', 'orders', 0],
      ['restartTask', 'orders', 7],
    ]);
  });

  it('answers the root, plugins, active topics and offsets in their Connect shapes', async () => {
    const { view } = recording([orders]);
    expect((await route(view, 'GET', '/'))?.body).toEqual({
      version: expect.any(String),
      commit: expect.any(String),
      kafka_cluster_id: 'cluster-1',
    });
    const plugins = (await route(view, 'GET', '/connector-plugins'))?.body;
    expect(plugins).toContainEqual({
      class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      type: 'source',
      version: expect.any(String),
    });
    expect(await route(view, 'GET', '/connectors/orders/topics')).toEqual({
      status: 200,
      body: { orders: { topics: ['orders'] } },
    });
    expect(await route(view, 'GET', '/connectors/orders/offsets')).toEqual({
      status: 200,
      body: { offsets: [{ partition: { filename: '/data/orders' }, offset: { position: 35 } }] },
    });
  });

  it('answers 500 with the reason when the worker cannot reach Kafka for an operation', async () => {
    const view: WorkerView = {
      ...viewOf([orders]),
      setTargetState: async () => {
        throw new Error('broker unreachable');
      },
    };
    expect(await route(view, 'PUT', '/connectors/orders/pause')).toEqual({
      status: 500,
      body: { error_code: 500, message: 'broker unreachable' },
    });
  });

  it('is alive but not ready while it stands by', async () => {
    const standby: WorkerView = { ...viewOf([]), role: () => 'standby' };
    expect((await route(standby, 'GET', '/health'))?.status).toBe(200);
    expect(await route(standby, 'GET', '/ready')).toEqual({
      status: 503,
      body: { status: 'standby', connectors: [] },
    });
  });
});

describe('metrics', () => {
  it("exposes the worker's counters under Connect's names, labelled by connector and task", async () => {
    const sink: ConnectorView = {
      name: 'to-file',
      kind: 'sink',
      spec: spec('to-file', 'sink', { file: '/data/out.txt' }),
      target: 'running',
      state: 'RUNNING',
      trace: null,
      tasks: [task(1, 'RUNNING', { recordsIn: 9, recordsOut: 8 })],
      topics: [],
    };
    const counters = sink.tasks[0]?.counters;
    counters?.partitionLag('orders', 2, 17);
    counters?.offsetCommit(true, 10);
    counters?.offsetCommit(true, 30);
    counters?.offsetCommit(false, 0);
    counters?.batch(4);
    counters?.batch(5);
    if (counters) counters.deadLetterRequests = 2;
    const text = await metricsRegistry(viewOf([orders, sink])).metrics();
    for (const line of [
      'source_record_poll_total{connector="orders",task="0"} 5',
      'source_record_write_total{connector="orders",task="0"} 4',
      'total_record_errors{connector="orders",task="0"} 1',
      'sink_record_read_total{connector="to-file",task="1"} 9',
      'sink_record_send_total{connector="to-file",task="1"} 8',
      'sink_consumer_lag{connector="to-file",task="1",topic="orders",partition="2"} 17',
      'connector_status{connector="orders",status="running"} 1',
      'task_status{connector="to-file",task="1",status="running"} 1',
      'task_status{connector="to-file",task="1",status="failed"} 0',
      'total_records_skipped{connector="orders",task="0"} 1',
      'offset_commit_success_total{connector="to-file",task="1"} 2',
      'offset_commit_failure_total{connector="to-file",task="1"} 1',
      'offset_commit_avg_time_ms{connector="to-file",task="1"} 20',
      'offset_commit_max_time_ms{connector="to-file",task="1"} 30',
      'offset_commit_avg_time_ms{connector="orders",task="0"} Nan',
      'batch_size_avg{connector="to-file",task="1"} 4.5',
      'batch_size_max{connector="to-file",task="1"} 5',
      'deadletterqueue_produce_requests{connector="to-file",task="1"} 2',
      'deadletterqueue_produce_failures{connector="to-file",task="1"} 0',
      'sink_record_send_rate{connector="to-file",task="1"} 0',
    ])
      expect(text.split('\n')).toContain(line);
    expect(text).toContain('# TYPE source_record_poll_total counter');
    expect(text).toContain('# TYPE source_record_write_rate gauge');
    expect(text).not.toContain('sink_record_read_total{connector="orders"');
  });
});

/** Writes kept in memory, as the configs topic would hold them. */
function memoryWrites(): ConnectorWrites & { stored: Map<string, ConnectorSpec> } {
  const stored = new Map<string, ConnectorSpec>();
  return {
    stored,
    exists: (name) => stored.has(name),
    put: async (s) => {
      stored.set(s.name, s);
      return s;
    },
    remove: async (name) => {
      stored.delete(name);
    },
  };
}

const FILE_SOURCE = {
  'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  'tasks.max': '1',
  topic: 'lines',
  file: 'in/lines.txt',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
};

describe('config writes, with worker.http.allowWrites', () => {
  it("creates with 201 and Connect's ConnectorInfo, and refuses a duplicate with 409", async () => {
    const writes = memoryWrites();
    const view = viewOf([], true, writes);
    const created = await route(view, 'POST', '/connectors', { name: 'lines', config: FILE_SOURCE });
    expect(created).toEqual({
      status: 201,
      body: {
        name: 'lines',
        config: expect.objectContaining({
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          name: 'lines',
          'tasks.max': '1',
          topic: 'lines',
          file: '/project/in/lines.txt',
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        }),
        tasks: [],
        type: 'source',
      },
    });
    expect(writes.stored.get('lines')).toMatchObject({ connector: 'file', value: { type: 'string' } });
    expect(await route(view, 'POST', '/connectors', { name: 'lines', config: FILE_SOURCE })).toEqual({
      status: 409,
      body: { error_code: 409, message: 'Connector lines already exists' },
    });
  });

  it('creates with PUT …/config (201), changes with 200, deletes with 204, then 404', async () => {
    const writes = memoryWrites();
    const view = viewOf([], true, writes);
    expect((await route(view, 'PUT', '/connectors/lines/config', FILE_SOURCE))?.status).toBe(201);
    const changed = await route(view, 'PUT', '/connectors/lines/config', {
      ...FILE_SOURCE,
      'tasks.max': '1',
      'batch.size': '10',
    });
    expect(changed).toMatchObject({
      status: 200,
      body: { name: 'lines', config: { 'batch.size': '10' }, tasks: [{ connector: 'lines', task: 0 }] },
    });
    expect(writes.stored.get('lines')?.config).toMatchObject({ batchSize: 10 });
    expect(await route(view, 'DELETE', '/connectors/lines')).toEqual({ status: 204 });
    expect(writes.stored.has('lines')).toBe(false);
    expect((await route(view, 'DELETE', '/connectors/lines'))?.status).toBe(404);
  });

  it("answers a config pipe cannot take with Connect's 400 and every reason", async () => {
    const view = viewOf([], true, memoryWrites());
    const bad = await route(view, 'PUT', '/connectors/lines/config', {
      ...FILE_SOURCE,
      file: '',
      'batch.size': 'many',
    });
    expect(bad?.status).toBe(400);
    const message = (bad?.body as { message: string } | undefined)?.message ?? '';
    expect(message).toMatch(/^Connector configuration is invalid and contains the following 2 error\(s\):\n/);
    expect(message).toContain('file');
    expect(message).toContain('batchSize');
    expect(await route(view, 'PUT', '/connectors/a/config', { ...FILE_SOURCE, name: 'b' })).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message: "Connector name configuration (b) doesn't match connector name in the URL (a)",
      },
    });
    const noClass = await route(view, 'POST', '/connectors', { name: 'x', config: { file: 'f' } });
    expect(noClass?.status).toBe(400);
    const connectClass = await route(view, 'PUT', '/connectors/x/config', {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    });
    expect(connectClass).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining("pipe's built-in connectors only") },
    });
  });

  it('takes back what GET …/config answers: a built-in connector by its pipe name, values by their schema types', async () => {
    const writes = memoryWrites();
    const view = viewOf([], true, writes);
    const config = {
      'connector.class': 'datagen',
      'tasks.max': '2',
      topic: 'gen',
      count: '100',
      rate: '2.5',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      transforms: 'wrap',
      'transforms.wrap.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.wrap.field': 'line',
    };
    expect((await route(view, 'PUT', '/connectors/gen/config', config))?.status).toBe(201);
    const stored = writes.stored.get('gen');
    expect(stored).toMatchObject({
      kind: 'source',
      connector: 'datagen',
      tasks: 2,
      config: { count: 100, rate: 2.5 },
      value: { type: 'json', schemas: false },
      transforms: [{ name: 'wrap', type: 'org.apache.kafka.connect.transforms.HoistField$Value' }],
    });
    const answered = (
      await route(
        viewOf([{ ...orders, name: 'gen', spec: stored as ConnectorSpec }]),
        'GET',
        '/connectors/gen/config',
      )
    )?.body;
    expect((await route(view, 'PUT', '/connectors/gen/config', answered))?.status).toBe(200);
    expect(writes.stored.get('gen')).toEqual(stored);
  });

  it('answers a secret given as a reference as its reference, never its value, and refuses one written as it is', async () => {
    process.env['PIPE_TEST_REST_PASSWORD'] = 'hunter2';
    const writes = memoryWrites();
    const view = viewOf([], true, writes);
    const answer = await route(view, 'PUT', '/connectors/pg/config', {
      'connector.class': 'postgres',
      topics: 'orders',
      connection: JSON.stringify({ host: '127.0.0.1', password: '${env:PIPE_TEST_REST_PASSWORD}' }),
    });
    expect(answer?.status).toBe(201);
    expect(JSON.stringify(answer?.body)).not.toContain('hunter2');
    expect(JSON.stringify(answer?.body)).toContain('${env:PIPE_TEST_REST_PASSWORD}');
    const plain = await route(view, 'PUT', '/connectors/pg2/config', {
      'connector.class': 'postgres',
      topics: 'orders',
      connection: JSON.stringify({ host: '127.0.0.1', password: 'hunter2' }),
    });
    expect(plain?.status).toBe(400);
    delete process.env['PIPE_TEST_REST_PASSWORD'];
  });

  it('keeps refusing with 409 when writes are off', async () => {
    const answer = await route(viewOf([]), 'POST', '/connectors', { name: 'lines', config: FILE_SOURCE });
    expect(answer).toEqual({
      status: 409,
      body: { error_code: 409, message: expect.stringContaining('pipe apply') },
    });
  });
});
