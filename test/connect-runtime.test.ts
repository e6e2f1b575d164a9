/**
 * pipe against a real two-worker Kafka Connect cluster: apply, a plan that is
 * empty right after, drift, secrets as references, unmanaged connectors left
 * alone, validation errors at the YAML position, failover when a worker dies,
 * destroy dropping offsets.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProject, describeWait } from '../src/apply/index.js';
import { reasonText } from '../src/cli/views/describe-change.js';
import { loadDesiredState } from '../src/config/load.js';
import type { DesiredState } from '../src/config/model.js';
import { PipeError } from '../src/errors.js';
import { secretVariable } from '../src/import/from-connect.js';
import { freePort } from '../src/kafka/ports.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { planProject } from '../src/plan/index.js';
import { hasChanges } from '../src/plan/model.js';
import { assertPlannable } from '../src/plan/problems.js';
import { readProjectStatus } from '../src/runtime/project-status.js';
import { restartConnector } from '../src/runtime/restart.js';
import { openRuntimes } from '../src/runtime/runtimes.js';
import { stateTopicNames } from '../src/state/records.js';
import { rest, startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, consume, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { spawnPipe } from './helpers/pipe-process.js';

let cluster: TestCluster;
let dir: string;
const SECRET_ENV = 'PIPE_TEST_CONNECT_SECRET';
const SECRET = `s3cret-${uniqueName('v')}`;

beforeAll(async () => {
  process.env[SECRET_ENV] = SECRET;
  dir = await mkdtemp(join(tmpdir(), 'pipe-connect-runtime-'));
  cluster = await startTestCluster();
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
  delete process.env[SECRET_ENV];
});

interface TestProject {
  root: string;
  name: string;
  topic: string;
  source: string;
  sink: string;
  in: string;
  out: string;
}

function settings(name: string, urls: readonly string[], extra = ''): string {
  return `project: ${name}
kafka: { brokers: ["${brokers()}"] }
runtimes:
  cluster:
    type: connect
    urls: [${urls.map((u) => `"${u}"`).join(', ')}]
    providers: { env: env, file: file, dir: dir }
    deadlineMs: 60000
${extra}runtime: cluster
`;
}

function pipeline(p: TestProject, sourceExtra = ''): string {
  return `topics:
  ${p.topic}: {}
sources:
  ${p.source}:
    connector: file
    topic: ${p.topic}
    value: { converter: string }
    config:
      file: ${p.in}${sourceExtra}
sinks:
  ${p.sink}:
    connector: file
    topics: [${p.topic}]
    value: { converter: string }
    config: { file: ${p.out} }
`;
}

async function newProject(urls: readonly string[] = cluster.urls): Promise<TestProject> {
  const name = uniqueName('crt');
  const root = join(dir, name);
  await mkdir(join(root, 'pipelines'), { recursive: true });
  const p: TestProject = {
    root,
    name,
    topic: `${name}-lines`,
    source: `${name}-src`,
    sink: `${name}-sink`,
    in: join(root, 'in.txt'),
    out: join(root, 'out.txt'),
  };
  await writeFile(p.in, '');
  await writeFile(join(root, 'pipeline.config.yaml'), settings(name, urls));
  await writeFile(join(root, 'pipelines', 'lines.yaml'), pipeline(p));
  return p;
}

async function load(p: TestProject): Promise<DesiredState> {
  return (await loadDesiredState(p.root)).desired;
}

const applyOptions = { autoApprove: true, waitTimeoutMs: 60_000 } as const;

async function rejection(promise: Promise<unknown>): Promise<PipeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PipeError)) throw new Error(`expected a PipeError, got ${String(err)}`);
  return err;
}

describe('a Kafka Connect runtime', () => {
  it('applies file connectors to the cluster, and the plan right after is empty', async () => {
    const p = await newProject();
    const desired = await load(p);
    const result = await applyProject(desired, applyOptions);
    expect(result.wait).toEqual({ kind: 'running', connectors: [p.source, p.sink] });
    const config = await rest(cluster.urls[1]!, 'GET', `/connectors/${p.source}/config`);
    expect(config.body).toMatchObject({
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      topic: p.topic,
      file: p.in,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    await appendFile(p.in, 'aaa\nbbb\n');
    await waitFor(
      'the lines in the sink file',
      async () => (await readFile(p.out, 'utf8')) === 'aaa\nbbb\n',
      {
        timeoutMs: 30000,
      },
    );
    await restartConnector(await load(p), `sink.${p.sink}`, { onlyFailed: false });
    await waitFor(
      'the sink RUNNING again after its restart',
      async () => {
        const status = await rest(cluster.urls[0]!, 'GET', `/connectors/${p.sink}/status`);
        const body = status.body as { connector: { state: string }; tasks: Array<{ state: string }> };
        return body.connector.state === 'RUNNING' && body.tasks.every((t) => t.state === 'RUNNING');
      },
      { timeoutMs: 30000 },
    );
    const again = await planProject(await load(p));
    expect(again.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    expect(hasChanges(again)).toBe(false);
  });

  it('shows drift, a connector deleted outside pipe, and leaves unmanaged connectors alone', async () => {
    const p = await newProject();
    await applyProject(await load(p), applyOptions);
    const unmanaged = uniqueName('unmanaged');
    await rest(cluster.urls[0]!, 'PUT', `/connectors/${unmanaged}/config`, {
      'connector.class': 'FileStreamSinkConnector',
      topics: p.topic,
      file: join(p.root, 'unmanaged.txt'),
    });
    const changed = {
      ...((await rest(cluster.urls[0]!, 'GET', `/connectors/${p.sink}/config`)).body as object),
    };
    await rest(cluster.urls[0]!, 'PUT', `/connectors/${p.sink}/config`, { ...changed, 'tasks.max': '2' });
    await rest(cluster.urls[0]!, 'DELETE', `/connectors/${p.source}`);
    // Every worker has read the changes from the cluster's config topic.
    await waitFor(
      'the changes seen by every worker',
      async () => {
        for (const url of cluster.urls) {
          const sink = await rest(url, 'GET', `/connectors/${p.sink}/config`);
          const source = await rest(url, 'GET', `/connectors/${p.source}`);
          if ((sink.body as Record<string, string>)['tasks.max'] !== '2' || source.status !== 404)
            return false;
        }
        return true;
      },
      { timeoutMs: 30000 },
    );

    const drift = await planProject(await load(p));
    const byAddress = new Map(drift.changes.map((c) => [c.address, c]));
    expect(byAddress.get(`sink.${p.sink}`)).toMatchObject({
      action: 'update',
      reason: 'changed_outside_pipe',
      attributes: [{ path: 'connect.tasks.max', before: '2', after: '1' }],
    });
    expect(byAddress.get(`source.${p.source}`)).toMatchObject({
      action: 'create',
      reason: 'deleted_outside_pipe',
    });
    expect(reasonText(byAddress.get(`sink.${p.sink}`)!)).toContain('changed outside pipe');
    expect(reasonText(byAddress.get(`source.${p.source}`)!)).toContain('deleted outside pipe');
    expect(drift.unmanaged).toContain(`cluster/${unmanaged}`);
    // The CLI shows them only when asked, in the human and JSON views.
    const plain = spawnPipe(['-C', p.root, 'plan']);
    expect(await plain.exited, plain.output()).toBe(0);
    expect(plain.output()).not.toContain(unmanaged);
    const human = spawnPipe(['-C', p.root, 'plan', '--show-unmanaged']);
    expect(await human.exited, human.output()).toBe(0);
    expect(human.output()).toMatch(
      new RegExp(`Unmanaged connectors on Kafka Connect runtimes .*:\\n(  .*\\n)*  cluster/${unmanaged}\\n`),
    );
    const json = spawnPipe(['-C', p.root, 'plan', '--show-unmanaged', '--json']);
    expect(await json.exited, json.output()).toBe(0);
    expect((JSON.parse(json.output()) as { unmanaged: string[] }).unmanaged).toContain(
      `cluster/${unmanaged}`,
    );
    expect([...byAddress.keys()].some((a) => a.includes(unmanaged))).toBe(false);

    await applyProject(await load(p), applyOptions);
    expect(hasChanges(await planProject(await load(p)))).toBe(false);

    const destroyed = await applyProject(await load(p), {
      ...applyOptions,
      destroy: true,
      allowDelete: true,
    });
    expect(destroyed.plan.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual([
      `delete sink.${p.sink}`,
      `delete source.${p.source}`,
      `delete topic.${p.topic}`,
    ]);
    const left = (await rest(cluster.urls[0]!, 'GET', '/connectors')).body as string[];
    expect(left).toContain(unmanaged);
    expect(left).not.toContain(p.source);
    expect(left).not.toContain(p.sink);
    await rest(cluster.urls[0]!, 'DELETE', `/connectors/${unmanaged}`);
  }, 180_000);

  it('deletes a source with its offsets: created again, it reads the file from the start', async () => {
    const p = await newProject();
    await applyProject(await load(p), applyOptions);
    await appendFile(p.in, 'one\n');
    await waitFor(
      'the source offset',
      async () => {
        const res = await rest(cluster.urls[0]!, 'GET', `/connectors/${p.source}/offsets`);
        return ((res.body as { offsets?: unknown[] }).offsets ?? []).length > 0;
      },
      { timeoutMs: 30000 },
    );
    await writeFile(join(p.root, 'pipelines', 'lines.yaml'), `topics:\n  ${p.topic}: {}\n`);
    const lines: string[] = [];
    const deleted = await applyProject(await load(p), { ...applyOptions, log: (l) => lines.push(l) });
    expect(deleted.plan.changes.find((c) => c.address === `source.${p.source}`)).toMatchObject({
      action: 'delete',
      dropsOffsets: true,
    });
    expect(lines.join('\n')).toContain(`- source.${p.source}: deleted, 1 offset dropped`);
    const gone = await rest(cluster.urls[0]!, 'GET', `/connectors/${p.source}`);
    expect(gone.status).toBe(404);

    await writeFile(join(p.root, 'pipelines', 'lines.yaml'), pipeline(p));
    await applyProject(await load(p), applyOptions);
    // The topic holds "one" twice: the re-created source read the file again from its start.
    const records = await consume(p.topic, 2, 30000);
    expect(records.map((r) => r.value?.toString())).toEqual(['one', 'one']);
    await applyProject(await load(p), { ...applyOptions, destroy: true, allowDelete: true });
  });

  it('sends secrets as config-provider references, never their values', async () => {
    const p = await newProject();
    await writeFile(
      join(p.root, 'pipelines', 'lines.yaml'),
      pipeline(p, `\n      ssl.truststore.password: "\${env:${SECRET_ENV}}"`).replace(
        'connector: file\n    topic',
        'connector: connect:org.apache.kafka.connect.file.FileStreamSourceConnector\n    topic',
      ),
    );
    const desired = await load(p);
    const result = await applyProject(desired, applyOptions);
    expect(result.wait.kind).toBe('running');
    const config = (await rest(cluster.urls[0]!, 'GET', `/connectors/${p.source}/config`)).body as Record<
      string,
      string
    >;
    expect(config['ssl.truststore.password']).toBe(`\${env:${SECRET_ENV}}`);
    const records = await readTopicToEnd(kafka(), stateTopicNames(desired.project.state.topicPrefix).configs);
    const text = records.map((r) => r.value?.toString('utf8') ?? '').join('\n');
    expect(text).toContain(`\${env:${SECRET_ENV}}`);
    expect(text).not.toContain(SECRET);
    expect(hasChanges(await planProject(await load(p)))).toBe(false);

    // Without an env provider on the runtime, the plan says which worker settings to add.
    await writeFile(
      join(p.root, 'pipeline.config.yaml'),
      settings(p.name, cluster.urls).replace(
        'providers: { env: env, file: file, dir: dir }',
        'providers: {}',
      ),
    );
    const refused = await rejection(planProject(await load(p)).then((plan) => assertNoProblems(plan)));
    expect(refused.message).toMatch(
      new RegExp(
        `^pipelines/lines\\.yaml:\\d+:\\d+: sources\\.${p.source}\\.config\\.ssl\\.truststore\\.password: .*has no env config provider`,
      ),
    );
    expect(String(refused.meta.hint)).toContain('config.providers=env');
    await writeFile(join(p.root, 'pipeline.config.yaml'), settings(p.name, cluster.urls));
    await applyProject(await load(p), { ...applyOptions, destroy: true, allowDelete: true });
  });

  it('reports what Kafka Connect rejects at the YAML position, and a class it lacks with the plugins it has', async () => {
    const p = await newProject();
    await writeFile(
      join(p.root, 'pipelines', 'lines.yaml'),
      `topics:
  ${p.topic}: {}
sources:
  ${p.source}:
    connector: connect:org.example.NoSuchConnector
    config: { a: b }
sinks:
  ${p.sink}:
    connector: connect:org.apache.kafka.connect.file.FileStreamSinkConnector
    topics: [${p.topic}]
    config:
      file: ${p.out}
      errors.deadletterqueue.context.headers.enable: maybe
`,
    );
    const plan = await planProject(await load(p));
    const err = await rejection(Promise.resolve().then(() => assertPlannable(plan)));
    const messages = err.message.split('\n').map((line) => line.replace(/^ {2}- /, ''));
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^pipelines/lines\\.yaml:5:5: sources\\.${p.source}\\.connector: runtime "cluster" has no connector plugin org\\.example\\.NoSuchConnector; installed: .*FileStreamSinkConnector`,
        ),
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^pipelines/lines\\.yaml:13:7: sinks\\.${p.sink}\\.config\\.errors\\.deadletterqueue\\.context\\.headers\\.enable: .*maybe`,
        ),
      ),
    );
  });

  it('creates a stopped source that never runs, then resumes, pauses and stops it as the YAML says', async () => {
    const p = await newProject();
    // A line is in the file before apply: a source that ran even for a moment would send it.
    await writeFile(p.in, 'early\n');
    const withState = (state: string) =>
      pipeline(p).replace('connector: file\n    topic', `connector: file\n    state: ${state}\n    topic`);
    const states = async () => {
      const s = await rest(cluster.urls[0]!, 'GET', `/connectors/${p.source}/status`);
      const body = s.body as { connector: { state: string }; tasks: Array<{ state: string }> };
      return { connector: body.connector.state, tasks: body.tasks.map((t) => t.state) };
    };
    const planned = async () => {
      const plan = await planProject(await load(p));
      return plan.changes.filter((c) => c.action !== 'no-op').map((c) => `${c.action} ${c.address}`);
    };

    await writeFile(join(p.root, 'pipelines', 'lines.yaml'), withState('stopped'));
    const created = await applyProject(await load(p), applyOptions);
    expect(created.wait.kind).toBe('running');
    expect(await states()).toEqual({ connector: 'STOPPED', tasks: [] });
    expect(await planned()).toEqual([]);
    const offsets = await rest(cluster.urls[0]!, 'GET', `/connectors/${p.source}/offsets`);
    expect((offsets.body as { offsets: unknown[] }).offsets).toEqual([]);

    await writeFile(join(p.root, 'pipelines', 'lines.yaml'), withState('running'));
    expect(await planned()).toEqual([`update source.${p.source}`]);
    await applyProject(await load(p), applyOptions);
    expect(await states()).toEqual({ connector: 'RUNNING', tasks: ['RUNNING'] });
    const records = await consume(p.topic, 1, 30_000);
    expect(records.map((r) => r.value?.toString())).toEqual(['early']);

    await writeFile(join(p.root, 'pipelines', 'lines.yaml'), withState('paused'));
    await applyProject(await load(p), applyOptions);
    expect(await states()).toEqual({ connector: 'PAUSED', tasks: ['PAUSED'] });
    expect(await planned()).toEqual([]);

    // Resumed outside pipe: drift back to the YAML's paused.
    await rest(cluster.urls[1]!, 'PUT', `/connectors/${p.source}/resume`);
    await waitFor(
      'the source RUNNING after a resume outside pipe',
      async () => (await states()).connector === 'RUNNING',
      {
        timeoutMs: 30_000,
      },
    );
    const drift = await planProject(await load(p));
    expect(drift.changes.find((c) => c.address === `source.${p.source}`)).toMatchObject({
      action: 'update',
      reason: 'changed_outside_pipe',
      attributes: [{ path: 'state', before: 'running', after: 'paused' }],
    });
    await applyProject(await load(p), { ...applyOptions, destroy: true, allowDelete: true });
  }, 180_000);

  // The client gives up on a cluster none of whose URLs answer after 8 s (runtime/connect/client.ts).
  it('names the URLs it tried when the cluster is unreachable', async () => {
    const dead = [`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`];
    const p = await newProject(dead);
    const err = await rejection(planProject(await load(p)));
    expect(err.code).toBe('RUNTIME_UNREACHABLE');
    for (const url of dead) expect(err.message).toContain(url);
  });
});

describe('pipe status on a Kafka Connect runtime', () => {
  it('shows the cluster’s states with worker ids, and a failed task FAILED with its trace’s first line, its secret redacted', async () => {
    const p = await newProject();
    // The sink's folder does not exist and is named after a secret, so its task fails with the secret in its trace.
    const missing = join(p.root, 'missing');
    await writeFile(
      join(p.root, 'pipelines', 'lines.yaml'),
      pipeline(p).replace(
        `config: { file: ${p.out} }`,
        `config: { file: "${missing}/\${env:${SECRET_ENV}}/out.txt" }`,
      ),
    );
    // The apply waits for the tasks, not only the connector: the task failing at its start fails the apply.
    const applied = await applyProject(await load(p), applyOptions);
    expect(applied.wait).toMatchObject({
      kind: 'failed',
      failed: [
        {
          name: `${p.sink} task 0`,
          trace: expect.stringMatching(
            /^org\.apache\.kafka\.connect\.errors\.ConnectException: Couldn't find or create file/,
          ),
        },
      ],
    });
    expect(describeWait(applied.wait, p.name).error?.message).toMatch(
      new RegExp(
        `^applied, but ${p.sink} task 0 failed: org\\.apache\\.kafka\\.connect\\.errors\\.ConnectException: Couldn't find`,
      ),
    );
    const project = (await load(p)).project;
    const report = await waitFor(
      'the sink task FAILED',
      async () => {
        const r = await readProjectStatus(project);
        const failed = r.connectors.find((c) => c.name === p.sink)?.tasks[0]?.state === 'FAILED';
        const running = r.connectors.find((c) => c.name === p.source)?.tasks[0]?.state === 'RUNNING';
        return failed && running ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const hosts = cluster.urls.map((u) => new URL(u).host);
    const sink = report.connectors.find((c) => c.name === p.sink);
    const source = report.connectors.find((c) => c.name === p.source);
    expect(sink).toMatchObject({ runtime: 'cluster', kind: 'sink', state: 'RUNNING', recordsIn: null });
    expect(sink?.tasks).toHaveLength(1);
    expect(sink?.tasks[0]).toMatchObject({
      task: 0,
      state: 'FAILED',
      error: expect.stringMatching(
        /^org\.apache\.kafka\.connect\.errors\.ConnectException: Couldn't find or create file/,
      ),
    });
    expect(sink?.tasks[0]?.trace?.split('\n').length).toBeGreaterThan(1);
    expect(hosts).toContain(sink?.tasks[0]?.workerId);
    expect(source).toMatchObject({ runtime: 'cluster', state: 'RUNNING' });
    expect(source?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
    expect(hosts).toContain(source?.workerId);
    expect(report.runtimes).toHaveLength(1);
    expect(report.runtimes?.[0]).toMatchObject({ name: 'cluster', urls: cluster.urls });
    expect(report.runtimes?.[0]).not.toHaveProperty('error');
    expect(report.runtimes?.[0]?.workers.length).toBeGreaterThan(0);
    for (const id of report.runtimes?.[0]?.workers ?? []) expect(hosts).toContain(id);

    // As a user runs it: the table, and the JSON with the whole trace; the secret never shows.
    const table = spawnPipe(['-C', p.root, 'status']);
    expect(await table.exited).toBe(0);
    const text = table.output();
    const sinkRow = text.split('\n').find((l) => l.startsWith(`  ${p.sink}-0 `));
    expect(sinkRow).toMatch(/ FAILED /);
    expect(sinkRow).toContain(`Couldn't find or create file '${missing}/\${env:${SECRET_ENV}}/out.txt'`);
    expect(text).toMatch(/runtime cluster \(Kafka Connect at .*\): workers /);
    expect(text).not.toContain(SECRET);
    const json = spawnPipe(['-C', p.root, 'status', '--json']);
    expect(await json.exited).toBe(0);
    expect(json.output()).not.toContain(SECRET);
    const parsed = JSON.parse(json.output()) as {
      connectors: Array<{ name: string; tasks: Array<{ trace?: string }> }>;
    };
    const trace = parsed.connectors.find((c) => c.name === p.sink)?.tasks[0]?.trace ?? '';
    expect(trace).toContain(`\${env:${SECRET_ENV}}`);
    expect(trace).toMatch(/\n\s+at /);

    await applyProject(await load(p), { ...applyOptions, destroy: true, allowDelete: true });
  }, 120_000);
});

describe('pipe import --from-connect', () => {
  it('writes YAML for connectors made outside pipe, secrets as references; plan adopts them without a restart', async () => {
    const name = uniqueName('imp');
    const root = join(dir, name);
    await mkdir(root, { recursive: true });
    const topic = `${name}-lines`;
    await createTopic(topic);
    const strings = {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'header.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'errors.tolerance': 'none',
    };
    const made = {
      [`${name}-src`]: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'tasks.max': '1',
        topic,
        file: join(root, 'in.txt'),
        'batch.size': '2000',
        ...strings,
      },
      [`${name}-sink`]: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'tasks.max': '1',
        topics: topic,
        file: join(root, 'out.txt'),
        'ssl.truststore.password': `\${env:${SECRET_ENV}}`,
        ...strings,
      },
      // A secret in clear on the cluster: imported as a reference to a variable, never written.
      [`${name}-clear`]: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'tasks.max': '1',
        topics: topic,
        file: join(root, 'clear.txt'),
        'ssl.keystore.password': SECRET,
        ...strings,
      },
    };
    await writeFile(join(root, 'in.txt'), '');
    for (const [connector, config] of Object.entries(made)) {
      await rest(cluster.urls[0]!, 'PUT', `/connectors/${connector}/config`, config);
    }
    const [src, sink, clear] = Object.keys(made) as [string, string, string];
    await waitFor(
      'the three connectors RUNNING',
      async () => {
        for (const c of [src, sink, clear]) {
          const s = await rest(cluster.urls[1]!, 'GET', `/connectors/${c}/status`);
          const body = s.body as { connector?: { state: string }; tasks?: Array<{ state: string }> };
          if (body.connector?.state !== 'RUNNING' || body.tasks?.[0]?.state !== 'RUNNING') return false;
        }
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const variable = secretVariable(clear, 'ssl.keystore.password');
    process.env[variable] = SECRET;
    process.env['KAFKA_BROKERS'] = brokers();
    try {
      const run = spawnPipe([
        'import',
        '--from-connect',
        cluster.urls[1]!,
        '--connector',
        src,
        '--connector',
        sink,
        '--connector',
        clear,
        '--out',
        root,
        '--project',
        name,
      ]);
      expect(await run.exited, run.output()).toBe(0);
      const output = run.output();
      expect(output).not.toContain(SECRET);
      expect(output).toContain(`${src}: pipe plan adopts it as it is (<=), without a restart`);
      expect(output).toContain(`${sink}: pipe plan adopts it as it is (<=), without a restart`);
      expect(output).toContain(`${clear}: adopting it writes ssl.keystore.password to the cluster`);
      expect(output).toContain(`set ${variable} to its value`);
      const files = [
        await readFile(join(root, 'pipeline.config.yaml'), 'utf8'),
        await readFile(join(root, 'pipelines', 'imported.yaml'), 'utf8'),
      ].join('\n');
      expect(files).not.toContain(SECRET);
      expect(files).toContain(`\${env:${variable}}`);
      expect(files).toContain(`\${env:${SECRET_ENV}}`);
      expect(files).toContain(cluster.urls[1]!);

      const desired = (await loadDesiredState(root)).desired;
      // Before the apply, the project manages none of them: --show-unmanaged lists them, read from every runtime.
      const unmanagedBefore = await planProject({ ...desired, connectors: [] }, { readEveryRuntime: true });
      for (const c of [src, sink, clear]) expect(unmanagedBefore.unmanaged).toContain(`cluster/${c}`);

      const plan = await planProject(desired);
      assertPlannable(plan);
      const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
      expect(byAddress.get(`source.${src}`)).toMatchObject({ action: 'adopt', attributes: [] });
      expect(byAddress.get(`sink.${sink}`)).toMatchObject({ action: 'adopt', attributes: [] });
      expect(byAddress.get(`sink.${clear}`)).toMatchObject({
        action: 'adopt',
        attributes: [{ path: 'connect.ssl.keystore.password', sensitive: true }],
      });
      expect(plan.changes.filter((c) => c.action !== 'adopt')).toEqual([]);

      const lines: string[] = [];
      await applyProject(desired, { ...applyOptions, log: (l) => lines.push(l) });
      const log = lines.join('\n');
      expect(log).toMatch(new RegExp(`source\\.${src}: .*taken over without a restart`));
      expect(log).toMatch(new RegExp(`sink\\.${sink}: .*taken over without a restart`));
      expect(log).toMatch(new RegExp(`sink\\.${clear}: .*config changed`));
      const after = await planProject(await (await loadDesiredState(root)).desired);
      expect(after.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
      expect(after.unmanaged ?? []).not.toContain(`cluster/${src}`);
      const held = (await rest(cluster.urls[0]!, 'GET', `/connectors/${clear}/config`)).body as Record<
        string,
        string
      >;
      expect(held['ssl.keystore.password']).toBe(`\${env:${variable}}`);
      expect((await rest(cluster.urls[0]!, 'GET', `/connectors/${src}/config`)).body).toEqual({
        ...made[src],
        name: src,
      });
      await applyProject(desired, { ...applyOptions, destroy: true, allowDelete: true });
    } finally {
      delete process.env[variable];
      delete process.env['KAFKA_BROKERS'];
    }
  }, 180_000);
});

function assertNoProblems(plan: Awaited<ReturnType<typeof planProject>>) {
  assertPlannable(plan);
  return plan;
}

describe('failover', () => {
  it('keeps working through the other URL when a worker dies, and its tasks move', async () => {
    const p = await newProject();
    await applyProject(await load(p), applyOptions);
    const runtimes = openRuntimes({
      project: (await load(p)).project,
      kafka: kafka(),
      admin: kafka().admin(),
      producer: () => Promise.reject(new Error('no writes')),
    });
    const runtime = runtimes.get('cluster')!;
    const [first, second] = cluster.workers;
    await first!.stop();
    const survivor = new URL(second!.restUrl).host;
    await waitFor(
      'every task on the surviving worker',
      async () => {
        const status = await runtime.status(p.name);
        return [p.source, p.sink].every((name) => {
          const s = status.connectors[name];
          return (
            s?.state === 'RUNNING' &&
            s.workerId === survivor &&
            s.tasks.length > 0 &&
            s.tasks.every((t) => t.workerId === survivor && t.state === 'RUNNING')
          );
        });
      },
      { timeoutMs: 60000, intervalMs: 500 },
    );
    // pipe status shows where they run now, read through the URL that still answers.
    const report = await readProjectStatus((await load(p)).project);
    for (const name of [p.source, p.sink]) {
      const c = report.connectors.find((r) => r.name === name);
      expect(c).toMatchObject({ runtime: 'cluster', state: 'RUNNING', workerId: survivor });
      expect(c?.tasks.map((t) => [t.state, t.workerId])).toEqual([['RUNNING', survivor]]);
    }
    expect(report.runtimes?.[0]?.workers).toEqual([survivor]);
    // The first URL is the dead worker's: apply goes on through the second.
    await writeFile(
      join(p.root, 'pipelines', 'lines.yaml'),
      pipeline(p).replace('config: { file:', 'tasks: 2\n    config: { file:'),
    );
    const result = await applyProject(await load(p), applyOptions);
    expect(result.plan.changes.find((c) => c.address === `sink.${p.sink}`)?.action).toBe('update');
    expect(result.wait.kind).toBe('running');
    expect(hasChanges(await planProject(await load(p)))).toBe(false);
  }, 120_000);
});
