/**
 * Kafka Connect's REST API, spoken by a real Connect worker and by pipe's:
 * the same scenario against both — connectors created by `pipe apply`, a
 * source paused and resumed, a sink task that failed restarted once its cause
 * is gone, status, topics, offsets, plugins, errors — and the same status
 * codes and JSON shapes (field names, types, states) from each.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { loadDesiredState } from '../src/config/load.js';
import { startServedWorker } from '../src/worker/http/served-worker.js';
import { rest, restOnce, startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, createTopic, uniqueName, waitFor } from './helpers/kafka.js';

let cluster: TestCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-rest-compat-'));
  cluster = await startTestCluster({ workers: 1 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: unknown;
}

/**
 * What a client may rely on: field names and value types, states as values;
 * a connector's name, used as a key, is replaced by its role.
 */
function shape(value: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(value)) {
    const items = [...new Set(value.map((v) => JSON.stringify(shape(v, names))))].sort();
    return items.map((i) => JSON.parse(i) as unknown);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(
          ([k, v]) =>
            [names[k] ?? k, k === 'state' ? v : k === 'config' ? configShape(v) : shape(v, names)] as const,
        )
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** A config's keys are the connector's business (pipe's own connectors name theirs): a map of strings. */
function configShape(config: unknown): unknown {
  const values = Object.values(config as Record<string, unknown>);
  return values.every((v) => typeof v === 'string') ? { '<key>': 'string' } : config;
}

interface Project {
  root: string;
  source: string;
  sink: string;
  topic: string;
  in: string;
  blocker: string;
}

async function newProject(runtime: 'connect' | 'embedded'): Promise<Project> {
  const name = uniqueName(`compat-${runtime}`);
  const root = join(dir, name);
  await mkdir(join(root, 'pipelines'), { recursive: true });
  const p: Project = {
    root,
    source: `${name}-src`,
    sink: `${name}-sink`,
    topic: `${name}-lines`,
    in: join(root, 'in.txt'),
    // A file where the sink's folder should be: its task fails until the file is gone.
    blocker: join(root, 'out'),
  };
  await writeFile(p.in, 'aaa\nbbb\nccc\n');
  await writeFile(p.blocker, 'not a folder');
  const settings =
    runtime === 'connect'
      ? `runtimes:\n  cluster:\n    type: connect\n    urls: [${cluster.urls.map((u) => `"${u}"`).join(', ')}]\n    deadlineMs: 60000\nruntime: cluster\n`
      : '';
  await writeFile(
    join(root, 'pipeline.config.yaml'),
    `project: ${name}\nkafka: { brokers: ["${brokers()}"] }\n${settings}`,
  );
  await writeFile(
    join(root, 'pipelines', 'lines.yaml'),
    `topics:
  ${p.topic}: { partitions: 1, replicationFactor: 1 }
sources:
  ${p.source}:
    connector: file
    topic: ${p.topic}
    value: { converter: string }
    config: { file: ${p.in} }
sinks:
  ${p.sink}:
    connector: file
    topics: [${p.topic}]
    value: { converter: string }
    config: { file: ${join(p.blocker, 'sink.txt')} }
`,
  );
  return p;
}

/** The scenario, step by step, as a script or kcctl would drive it; every answer kept under its step's name. */
async function scenario(base: string, p: Project): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  const call = (method: string, path: string) => rest(base, method, path);
  const keep = async (step: string, method: string, path: string) => {
    const a = await call(method, path);
    answers.set(step, a);
    return a;
  };
  const taskState = async (name: string) =>
    ((await call('GET', `/connectors/${name}/status`)).body as { tasks?: Array<{ state: string }> })
      .tasks?.[0]?.state;
  const connectorState = async (name: string) =>
    ((await call('GET', `/connectors/${name}/status`)).body as { connector?: { state: string } }).connector
      ?.state;
  const opts = { timeoutMs: 90_000, intervalMs: 300 };

  await waitFor('the source task RUNNING', async () => (await taskState(p.source)) === 'RUNNING', opts);
  await waitFor('the sink task FAILED', async () => (await taskState(p.sink)) === 'FAILED', opts);
  await keep('root', 'GET', '/');
  await keep('list', 'GET', '/connectors');
  await keep('expand', 'GET', '/connectors?expand=status&expand=info');
  await keep('info', 'GET', `/connectors/${p.source}`);
  await keep('tasks', 'GET', `/connectors/${p.source}/tasks`);
  await keep('failed task', 'GET', `/connectors/${p.sink}/tasks/0/status`);
  await keep('failed connector', 'GET', `/connectors/${p.sink}/status`);

  await keep('pause', 'PUT', `/connectors/${p.source}/pause`);
  await waitFor('the source PAUSED', async () => (await taskState(p.source)) === 'PAUSED', opts);
  await keep('paused', 'GET', `/connectors/${p.source}/status`);
  await keep('resume', 'PUT', `/connectors/${p.source}/resume`);
  await waitFor('the source RUNNING', async () => (await taskState(p.source)) === 'RUNNING', opts);

  // Connect's FileStreamSink creates no folders: the cause is gone once the folder is there.
  await rm(p.blocker);
  await mkdir(p.blocker);
  await keep('restart task', 'POST', `/connectors/${p.sink}/tasks/0/restart`);
  await waitFor('the sink task RUNNING', async () => (await taskState(p.sink)) === 'RUNNING', opts);
  await waitFor(
    'the lines in the sink file',
    async () => (await readFile(join(p.blocker, 'sink.txt'), 'utf8').catch(() => '')) === 'aaa\nbbb\nccc\n',
    opts,
  );
  await keep('running', 'GET', `/connectors/${p.sink}/status`);
  await keep('restart failed', 'POST', `/connectors/${p.sink}/restart?includeTasks=true&onlyFailed=true`);
  await keep('restart connector', 'POST', `/connectors/${p.source}/restart`);
  await waitFor('the source RUNNING', async () => (await connectorState(p.source)) === 'RUNNING', opts);

  const nonEmpty = (a: Answer, key: string, list: string) =>
    ((a.body as Record<string, Record<string, unknown[]>>)[key]?.[list]?.length ?? 0) > 0;
  await waitFor(
    'the source offsets',
    async () => {
      const a = await keep('source offsets', 'GET', `/connectors/${p.source}/offsets`);
      return ((a.body as { offsets?: unknown[] }).offsets?.length ?? 0) > 0;
    },
    opts,
  );
  await waitFor(
    'the sink offsets at 3',
    async () =>
      JSON.stringify((await keep('sink offsets', 'GET', `/connectors/${p.sink}/offsets`)).body).includes(
        '"kafka_offset":3',
      ),
    opts,
  );
  await waitFor(
    'the source topics',
    async () =>
      nonEmpty(await keep('source topics', 'GET', `/connectors/${p.source}/topics`), p.source, 'topics'),
    opts,
  );
  await waitFor(
    'the sink topics',
    async () => nonEmpty(await keep('sink topics', 'GET', `/connectors/${p.sink}/topics`), p.sink, 'topics'),
    opts,
  );
  await keep('unknown', 'GET', '/connectors/no-such-connector/status');
  await keep('unknown task', 'GET', `/connectors/${p.source}/tasks/9/status`);
  await keep('plugins', 'GET', '/connector-plugins');
  await keep('config', 'GET', `/connectors/${p.source}/config`);
  return answers;
}

describe("Kafka Connect's REST API, on a Connect worker and on pipe's", () => {
  it('answers the same scenario with the same status codes and JSON shapes', async () => {
    const onConnect = await newProject('connect');
    await applyProject((await loadDesiredState(onConnect.root)).desired, {
      autoApprove: true,
      waitTimeoutMs: 60_000,
    });
    const connect = await scenario(cluster.urls[0] ?? '', onConnect);

    const onPipe = await newProject('embedded');
    const desired = (await loadDesiredState(onPipe.root)).desired;
    await applyProject(desired, { autoApprove: true, wait: false });
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const served = await startServedWorker({
      project: desired.project,
      log: quiet,
      http: { listen: '127.0.0.1:0', setting: 'test' },
    });
    let pipe: Map<string, Answer>;
    try {
      pipe = await scenario(`http://127.0.0.1:${served.http?.address.port}`, onPipe);
    } finally {
      await served.stop();
    }

    const roles = (p: Project) => ({ [p.source]: '<source>', [p.sink]: '<sink>' });
    const differences: string[] = [];
    for (const [step, c] of connect) {
      const mine = pipe.get(step);
      const expected = { status: c.status, body: shape(c.body, roles(onConnect)) };
      const actual = mine && { status: mine.status, body: shape(mine.body, roles(onPipe)) };
      if (step === 'config' || step === 'plugins') continue;
      if (JSON.stringify(expected) !== JSON.stringify(actual))
        differences.push(`${step}: Connect ${JSON.stringify(expected)}\n   pipe ${JSON.stringify(actual)}`);
    }
    expect(differences.join('\n')).toBe('');

    // Configs and plugin lists differ in content by nature; both are Connect's shapes.
    for (const answers of [connect, pipe]) {
      const config = answers.get('config')?.body as Record<string, unknown>;
      expect(Object.values(config).every((v) => typeof v === 'string')).toBe(true);
      expect(Object.keys(config)).toEqual(
        expect.arrayContaining(['connector.class', 'name', 'tasks.max', 'file', 'topic']),
      );
      expect(shape(answers.get('plugins')?.body, {})).toEqual([
        { class: 'string', type: 'string', version: 'string' },
      ]);
    }
  }, 400_000);
});

/**
 * Config writes (pipe's with `worker.http.allowWrites: true`): create by
 * POST and by PUT, a duplicate, a change, a bad config, a name that is not
 * the URL's, deletes; each answer kept under its step's name.
 */
async function writes(base: string, root: string, topic: string): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  const config = (file: string) => ({
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'tasks.max': '1',
    topic,
    file: join(root, file),
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  });
  const keep = async (step: string, method: string, path: string, body?: unknown) => {
    const a = await restOnce(base, method, path, body);
    answers.set(step, a);
    return a;
  };
  await keep('create', 'POST', '/connectors', { name: 'w-posted', config: config('a.txt') });
  await keep('duplicate', 'POST', '/connectors', { name: 'w-posted', config: config('a.txt') });
  await keep('put creates', 'PUT', '/connectors/w-put/config', config('b.txt'));
  await waitFor(
    'the created connector RUNNING',
    async () =>
      ((await rest(base, 'GET', '/connectors/w-put/status')).body as { tasks?: Array<{ state: string }> })
        .tasks?.[0]?.state === 'RUNNING',
    { timeoutMs: 60_000, intervalMs: 300 },
  );
  await keep('put changes', 'PUT', '/connectors/w-put/config', config('c.txt'));
  await keep('bad config', 'PUT', '/connectors/w-put/config', { ...config('c.txt'), 'tasks.max': 'many' });
  await keep('name mismatch', 'PUT', '/connectors/w-put/config', { ...config('c.txt'), name: 'other' });
  await keep('delete', 'DELETE', '/connectors/w-posted');
  await keep('delete unknown', 'DELETE', '/connectors/w-nope');
  await rest(base, 'DELETE', '/connectors/w-put');
  return answers;
}

describe("Kafka Connect's config writes, on a Connect worker and on pipe's with allowWrites", () => {
  it('answer with the same status codes, JSON shapes and error messages', async () => {
    const onConnect = await newProject('connect');
    await createTopic(`${onConnect.topic}-w`, 1);
    const connect = await writes(cluster.urls[0] ?? '', onConnect.root, `${onConnect.topic}-w`);

    const onPipe = await newProject('embedded');
    await createTopic(`${onPipe.topic}-w`, 1);
    const desired = (await loadDesiredState(onPipe.root)).desired;
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const served = await startServedWorker({
      project: { ...desired.project, worker: { ...desired.project.worker, httpAllowWrites: true } },
      log: quiet,
      http: { listen: '127.0.0.1:0', setting: 'test' },
    });
    let pipe: Map<string, Answer>;
    try {
      pipe = await writes(`http://127.0.0.1:${served.http?.address.port}`, onPipe.root, `${onPipe.topic}-w`);
    } finally {
      await served.stop();
    }
    const differences: string[] = [];
    const firstLine = (a: Answer | undefined) =>
      String((a?.body as { message?: string } | undefined)?.message ?? '').split('\n')[0];
    for (const [step, c] of connect) {
      const mine = pipe.get(step);
      const expected = JSON.stringify({ status: c.status, body: shape(c.body, {}) });
      const actual = JSON.stringify(mine && { status: mine.status, body: shape(mine.body, {}) });
      if (expected !== actual) differences.push(`${step}: Connect ${expected}\n   pipe ${actual}`);
      // Messages Connect words itself (not a validator's list of reasons) are the same words.
      if (step !== 'bad config' && firstLine(c) !== firstLine(mine))
        differences.push(`${step}: Connect "${firstLine(c)}"\n   pipe "${firstLine(mine)}"`);
    }
    expect(differences.join('\n')).toBe('');
    // The reasons are each validator's own; the sentence around them is Connect's.
    for (const answers of [connect, pipe])
      expect(firstLine(answers.get('bad config'))).toMatch(
        /^Connector configuration is invalid and contains the following \d+ error\(s\):$/,
      );
  }, 300_000);
});
