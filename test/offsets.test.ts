/**
 * `pipe offsets get/set/reset` on the real broker, for a file source and a
 * file sink on each runtime: pipe's embedded worker and a real two-worker
 * Kafka Connect cluster. Every change is proven by exact counts: a source
 * rewound re-sends exactly the lines after its new position, a sink rewound
 * writes exactly the records after its new offset again. Bad input (a
 * partition the connector does not have, a running connector, a connector
 * that runs elsewhere) is refused and changes nothing.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { applyProject } from '../src/apply/index.js';
import { changeConnectorOffsets, readConnectorOffsets } from '../src/apply/offsets.js';
import { renderHuman } from '../src/cli/views/plan-human.js';
import { loadDesiredState } from '../src/config/load.js';
import type { DesiredState } from '../src/config/model.js';
import { parseOffsetsFile } from '../src/config/offsets-file.js';
import { PipeError } from '../src/errors.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { planProject } from '../src/plan/index.js';
import { toPlanJson } from '../src/plan/plan-json.js';
import type { ConnectorOffset } from '../src/runtime/offsets.js';
import { openRuntimes } from '../src/runtime/runtimes.js';
import { rest, startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { spawnPipe } from './helpers/pipe-process.js';
import { startWorker, type TestWorker } from './helpers/worker.js';

let cluster: TestCluster;
let dir: string;
let worker: TestWorker | undefined;
let moveWorker: TestWorker | undefined;
let renameWorker: TestWorker | undefined;
let adoptWorker: TestWorker | undefined;
let secondCluster: TestCluster | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-offsets-'));
  cluster = await startTestCluster();
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await moveWorker?.stop();
  await renameWorker?.stop();
  await adoptWorker?.stop();
  await secondCluster?.stop();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Side {
  runtime: 'embedded' | 'cluster';
  topic: string;
  source: string;
  sink: string;
  in: string;
  out: string;
}

interface TestProject {
  root: string;
  name: string;
  sides: Record<Side['runtime'], Side>;
}

function side(root: string, name: string, runtime: Side['runtime']): Side {
  const tag = runtime === 'embedded' ? 'e' : 'c';
  return {
    runtime,
    topic: `${name}-${tag}-lines`,
    source: `${name}-${tag}-src`,
    sink: `${name}-${tag}-sink`,
    in: join(root, `${tag}-in.txt`),
    out: join(root, `${tag}-out.txt`),
  };
}

function pipelineOf(s: Side, runtime: string = s.runtime): string {
  return `topics:
  ${s.topic}: {}
sources:
  ${s.source}:
    connector: file
    runtime: ${runtime}
    topic: ${s.topic}
    value: { converter: string }
    config: { file: ${s.in} }
sinks:
  ${s.sink}:
    connector: file
    runtime: ${runtime}
    topics: [${s.topic}]
    value: { converter: string }
    config: { file: ${s.out} }
`;
}

async function newProject(): Promise<TestProject> {
  const name = uniqueName('ofs');
  const root = join(dir, name);
  await mkdir(join(root, 'pipelines'), { recursive: true });
  const sides = { embedded: side(root, name, 'embedded'), cluster: side(root, name, 'cluster') };
  await writeFile(
    join(root, 'pipeline.config.yaml'),
    `project: ${name}
kafka: { brokers: ["${brokers()}"] }
worker: { offsetFlushIntervalMs: 300 }
runtimes:
  cluster:
    type: connect
    urls: [${cluster.urls.map((u) => `"${u}"`).join(', ')}]
    providers: { env: env, file: file, dir: dir }
    deadlineMs: 60000
`,
  );
  for (const s of Object.values(sides)) {
    await writeFile(s.in, '');
    await writeFile(join(root, 'pipelines', `${s.runtime}.yaml`), pipelineOf(s));
  }
  return { root, name, sides };
}

async function load(p: TestProject): Promise<DesiredState> {
  return (await loadDesiredState(p.root)).desired;
}

async function rejection(promise: Promise<unknown>): Promise<PipeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PipeError)) throw new Error(`expected a PipeError, got ${String(err)}`);
  return err;
}

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line-${from + i}\n`).join('');

async function topicValues(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '');
}

async function fileLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

function offsetsFile(p: TestProject, offsets: ConnectorOffset[]) {
  return parseOffsetsFile(join(p.root, 'offsets.json'), JSON.stringify({ offsets }, null, 2));
}

async function offsetsOf(desired: DesiredState, address: string): Promise<ConnectorOffset[]> {
  return (await readConnectorOffsets(desired, address)).offsets;
}

/** Waits until the connector's stored offsets are these (a source's flush, a sink's commit). */
function offsetsReach(desired: DesiredState, address: string, wanted: ConnectorOffset[]) {
  return waitFor(
    `${address} to store ${JSON.stringify(wanted)}`,
    async () => JSON.stringify(await offsetsOf(desired, address)) === JSON.stringify(wanted),
    { timeoutMs: 60_000, intervalMs: 300 },
  );
}

const auto = { autoApprove: true } as const;

let project: TestProject;
let desired: DesiredState;

describe.sequential('pipe offsets', () => {
  beforeAll(async () => {
    project = await newProject();
    desired = await load(project);
    await applyProject(desired, { autoApprove: true, wait: false });
    worker = await startWorker(desired.project);
  }, 120_000);

  for (const runtime of ['embedded', 'cluster'] as const) {
    it(`${runtime}: get, set and reset a file source and a file sink, each proven by exact counts`, async () => {
      const s = project.sides[runtime];
      const source = `source.${s.source}`;
      const sink = `sink.${s.sink}`;
      await appendFile(s.in, lines(5));
      const fileEnd = Buffer.byteLength(lines(5));
      await offsetsReach(desired, source, [{ partition: { filename: s.in }, offset: { position: fileEnd } }]);
      await offsetsReach(desired, sink, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 5 } },
      ]);
      expect(await fileLines(s.out)).toHaveLength(5);

      // The source rewound to after line 2 sends lines 3 to 5 again, and only them.
      const previews: string[] = [];
      const afterTwo = Buffer.byteLength(lines(2));
      const set = await changeConnectorOffsets(
        desired,
        source,
        { file: offsetsFile(project, [{ partition: { filename: s.in }, offset: { position: afterTwo } }]) },
        { ...auto, onPreview: (p) => previews.push(JSON.stringify(p.changes)) },
      );
      expect(set.changed).toBe(true);
      expect(set.preview.returnTo).toBe('running');
      expect(previews).toEqual([
        JSON.stringify([
          { partition: { filename: s.in }, before: { position: fileEnd }, after: { position: afterTwo } },
        ]),
      ]);
      await waitFor('8 records in the topic', async () => (await topicValues(s.topic)).length === 8, {
        timeoutMs: 60_000,
      });
      expect((await topicValues(s.topic)).slice(5)).toEqual(['line-3', 'line-4', 'line-5']);
      await offsetsReach(desired, source, [{ partition: { filename: s.in }, offset: { position: fileEnd } }]);

      // The sink rewound to offset 6 writes records 6 and 7 again: 8 + 2 lines.
      await offsetsReach(desired, sink, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 8 } },
      ]);
      await changeConnectorOffsets(
        desired,
        sink,
        {
          file: offsetsFile(project, [
            { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 6 } },
          ]),
        },
        auto,
      );
      await waitFor('10 lines in the sink file', async () => (await fileLines(s.out)).length === 10, {
        timeoutMs: 60_000,
      });
      expect((await fileLines(s.out)).slice(8)).toEqual(['line-4', 'line-5']);
      await offsetsReach(desired, sink, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 8 } },
      ]);

      // A reset source reads its whole file again (5 more records); the sink writes them: 15 lines.
      const reset = await changeConnectorOffsets(desired, source, 'reset', auto);
      expect(reset.preview.changes).toEqual([
        { partition: { filename: s.in }, before: { position: fileEnd }, after: null },
      ]);
      await waitFor('13 records in the topic', async () => (await topicValues(s.topic)).length === 13, {
        timeoutMs: 60_000,
      });
      await waitFor('15 lines in the sink file', async () => (await fileLines(s.out)).length === 15, {
        timeoutMs: 60_000,
      });
      await offsetsReach(desired, sink, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 13 } },
      ]);

      // A reset sink (its consumer group deleted) writes the whole topic again: 15 + 13 lines.
      await changeConnectorOffsets(desired, sink, 'reset', auto);
      await waitFor('28 lines in the sink file', async () => (await fileLines(s.out)).length === 28, {
        timeoutMs: 60_000,
      });
      expect(await topicValues(s.topic)).toHaveLength(13);
      await offsetsReach(desired, sink, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 13 } },
      ]);
    }, 240_000);

    it(`${runtime}: refuses a partition the connector does not have, and a running connector, changing nothing`, async () => {
      const s = project.sides[runtime];
      const source = `source.${s.source}`;
      const sink = `sink.${s.sink}`;
      const sourceBefore = await offsetsOf(desired, source);
      const sinkBefore = await offsetsOf(desired, sink);
      expect(sourceBefore).toHaveLength(1);
      expect(sinkBefore).toHaveLength(1);

      const noPartition = await rejection(
        changeConnectorOffsets(
          desired,
          sink,
          {
            file: offsetsFile(project, [
              { partition: { kafka_topic: s.topic, kafka_partition: 5 }, offset: { kafka_offset: 0 } },
            ]),
          },
          auto,
        ),
      );
      expect(noPartition.code).toBe('OFFSETS_INVALID');
      expect(noPartition.message).toContain(`topic ${s.topic} has no partition 5 (it has 1: 0 to 0)`);
      expect(noPartition.meta).toMatchObject({ field: 'offsets[0].partition.kafka_partition', line: 6 });

      const otherFile = await rejection(
        changeConnectorOffsets(
          desired,
          source,
          {
            file: offsetsFile(project, [{ partition: { filename: '/elsewhere' }, offset: { position: 0 } }]),
          },
          auto,
        ),
      );
      expect(otherFile.code).toBe('OFFSETS_INVALID');
      expect(otherFile.message).toContain(`has one partition, {"filename":${JSON.stringify(s.in)}}`);

      // The runtime itself refuses to change the offsets of a connector that runs.
      const runtimes = openRuntimes({
        project: desired.project,
        kafka: kafka(),
        admin: kafka().admin(),
        producer: () => Promise.reject(new Error('not used')),
      });
      const rt = runtimes.of({ name: s.source, runtime });
      const running = await rejection(
        rt.alterOffsets(desired.project.name, { kind: 'source', name: s.source }, [
          { partition: { filename: s.in }, offset: { position: 0 } },
        ]),
      );
      expect(running.code).toBe('CONNECTOR_RUNNING');

      expect(await offsetsOf(desired, source)).toEqual(sourceBefore);
      expect(await offsetsOf(desired, sink)).toEqual(sinkBefore);
      const status = await runtimes.of({ name: s.source, runtime }).status(desired.project.name);
      expect(status.connectors[s.source]?.state).toBe('RUNNING');
      expect(status.connectors[s.sink]?.state).toBe('RUNNING');
    }, 120_000);
  }

  it('refuses an unknown address, and a connector whose YAML moved it to a runtime it was not applied to', async () => {
    const unknown = await rejection(readConnectorOffsets(desired, 'source.nothing-here'));
    expect(unknown.code).toBe('CONNECTOR_UNKNOWN');

    const s = project.sides.embedded;
    const moved: DesiredState = {
      ...desired,
      connectors: desired.connectors.map((c) => (c.name === s.source ? { ...c, runtime: 'cluster' } : c)),
    };
    const elsewhere = await rejection(changeConnectorOffsets(moved, `source.${s.source}`, 'reset', auto));
    expect(elsewhere.code).toBe('CONNECTOR_ELSEWHERE');
    expect(elsewhere.message).toContain('runs on runtime "embedded", but the YAML puts it on "cluster"');
    // get reads where the connector runs.
    expect(await offsetsOf(moved, `source.${s.source}`)).toHaveLength(1);
  }, 60_000);

  it('the command prints the REST shape with --json, and asks before it changes anything', async () => {
    const s = project.sides.cluster;
    const get = spawnPipe(['-C', project.root, 'offsets', 'get', `sink.${s.sink}`, '--json']);
    expect(await get.exited).toBe(0);
    expect(JSON.parse(get.output())).toEqual({ offsets: await offsetsOf(desired, `sink.${s.sink}`) });

    const reset = spawnPipe(['-C', project.root, 'offsets', 'reset', `source.${s.source}`]);
    expect(await reset.exited).toBe(1);
    expect(reset.output()).toContain('error[APPLY_REFUSED]: refusing to change offsets without approval');
    expect(await offsetsOf(desired, `source.${s.source}`)).toHaveLength(1);
  }, 60_000);
});

/** Appends numbered lines to a file in small bursts until stopped; says how many it wrote. */
function appender(path: string) {
  let n = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const burst = Array.from({ length: 20 }, (_, i) => `m-${n + i}\n`).join('');
      await appendFile(path, burst);
      n += 20;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    written: () => n,
    stop: async () => {
      stopped = true;
      await done;
      return n;
    },
  };
}

describe.sequential('moving a connector between runtimes', () => {
  it('embedded → Kafka Connect → embedded, mid-stream: every line exactly once in the topic and in the sink file', async () => {
    const p = await newProject();
    const s = p.sides.embedded;
    await rm(join(p.root, 'pipelines', 'cluster.yaml'));
    const withRuntime = (runtime: string) =>
      writeFile(join(p.root, 'pipelines', 'embedded.yaml'), pipelineOf({ ...s, runtime } as Side));
    let d = await load(p);
    await applyProject(d, { autoApprove: true, wait: false });
    moveWorker = await startWorker(d.project);
    const lines = appender(s.in);
    try {
      const topicHas = (n: number) =>
        waitFor(`${n} records in ${s.topic}`, async () => (await topicValues(s.topic)).length >= n, {
          timeoutMs: 90_000,
          intervalMs: 300,
        });
      await topicHas(200);

      // To the Kafka Connect cluster: the plan shows a move, not a delete and a create.
      await withRuntime('cluster');
      d = await load(p);
      const toCluster = await planProject(d);
      const human = renderHuman(toCluster, { colour: false });
      expect(human).toMatch(
        new RegExp(`~> source\\.${s.source} +runtime embedded → cluster, offsets carried: 1 partition\\n`),
      );
      expect(human).toMatch(
        new RegExp(
          `~> sink\\.${s.sink} +runtime embedded → cluster, consumer group connect-${s.sink} kept\\n`,
        ),
      );
      expect(toCluster.summary).toEqual({ add: 0, change: 2, destroy: 0 });
      expect(
        toPlanJson(toCluster)
          .changes.filter((c) => c.action !== 'no-op')
          .map((c) => [c.address, c.action, c.move]),
      ).toEqual([
        [
          `source.${s.source}`,
          'move',
          { from: 'embedded', to: 'cluster', offsets_carried: 1, group_kept: false },
        ],
        [`sink.${s.sink}`, 'move', { from: 'embedded', to: 'cluster', offsets_carried: 0, group_kept: true }],
      ]);
      const log: string[] = [];
      const there = await applyProject(d, {
        autoApprove: true,
        waitTimeoutMs: 90_000,
        log: (l) => log.push(l),
      });
      expect(there.wait.kind).toBe('running');
      expect(log.join('\n')).toContain('1 offset carried');
      expect(log.join('\n')).toContain(`consumer group connect-${s.sink} kept`);
      const onCluster = lines.written();
      await topicHas(onCluster + 200);
      const afterFirstMove = await topicValues(s.topic);
      expect(afterFirstMove.length - new Set(afterFirstMove).size).toBe(0);

      // And back to the embedded worker.
      await withRuntime('embedded');
      d = await load(p);
      const back = await applyProject(d, { autoApprove: true, waitTimeoutMs: 90_000 });
      expect(back.plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.action)).toEqual([
        'move',
        'move',
      ]);
      expect(back.wait.kind).toBe('running');
      await topicHas(lines.written() + 200);
      const total = await lines.stop();
      const expected = Array.from({ length: total }, (_, i) => `m-${i}`);

      await waitFor(
        'the source to have read the whole file',
        async () => {
          const [o] = await offsetsOf(d, `source.${s.source}`);
          return o?.offset?.['position'] === Buffer.byteLength(expected.map((l) => `${l}\n`).join(''));
        },
        { timeoutMs: 90_000, intervalMs: 300 },
      );
      await topicHas(total);
      expect(await topicValues(s.topic)).toEqual(expected);
      await waitFor(`${total} lines in the sink file`, async () => (await fileLines(s.out)).length >= total, {
        timeoutMs: 90_000,
        intervalMs: 300,
      });
      await offsetsReach(d, `sink.${s.sink}`, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: total } },
      ]);
      expect(await fileLines(s.out)).toEqual(expected);
    } finally {
      await lines.stop();
    }
  }, 420_000);
});

describe.sequential('renaming a connector with moved:', () => {
  it.each(['embedded', 'cluster'] as const)(
    '%s: a renamed file source and file sink carry on where the old names were: 1,000 lines stay 1,000, new ones come once',
    async (runtime) => {
      const p = await newProject();
      const s = p.sides[runtime];
      await rm(join(p.root, 'pipelines', `${runtime === 'embedded' ? 'cluster' : 'embedded'}.yaml`));
      let d = await load(p);
      await applyProject(d, { autoApprove: true, wait: runtime === 'cluster', waitTimeoutMs: 90_000 });
      if (runtime === 'embedded') renameWorker = await startWorker(d.project);
      await appendFile(s.in, lines(1000));
      await offsetsReach(d, `sink.${s.sink}`, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 1000 } },
      ]);
      await offsetsReach(d, `source.${s.source}`, [
        { partition: { filename: s.in }, offset: { position: Buffer.byteLength(lines(1000)) } },
      ]);
      expect(await fileLines(s.out)).toHaveLength(1000);

      const renamed: Side = { ...s, source: `${s.source}-new`, sink: `${s.sink}-new` };
      await writeFile(
        join(p.root, 'pipelines', `${runtime}.yaml`),
        `${pipelineOf(renamed)}moved:
  - { from: source.${s.source}, to: source.${renamed.source} }
  - { from: sink.${s.sink}, to: sink.${renamed.sink} }
`,
      );
      d = await load(p);
      const planned = await planProject(d);
      const human = renderHuman(planned, { colour: false });
      expect(human).toMatch(
        new RegExp(
          `~> source\\.${renamed.source} +renamed from source\\.${s.source}, offsets carried: 1 partition\\n`,
        ),
      );
      expect(human).toMatch(
        new RegExp(
          `~> sink\\.${renamed.sink} +renamed from sink\\.${s.sink}, offsets carried: 1 partition\\n`,
        ),
      );
      expect(planned.summary).toEqual({ add: 0, change: 2, destroy: 0 });
      const applied = await applyProject(d, { autoApprove: true, waitTimeoutMs: 90_000 });
      expect(applied.wait.kind).toBe('running');

      await appendFile(s.in, lines(10, 1001));
      await waitFor('1,010 lines in the sink file', async () => (await fileLines(s.out)).length >= 1010, {
        timeoutMs: 90_000,
        intervalMs: 300,
      });
      await offsetsReach(d, `sink.${renamed.sink}`, [
        { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 1010 } },
      ]);
      const expected = Array.from({ length: 1010 }, (_, i) => `line-${i + 1}`);
      expect(await topicValues(s.topic)).toEqual(expected);
      expect(await fileLines(s.out)).toEqual(expected);
      // The old names are gone, with their offsets.
      const again = await planProject(d);
      expect(again.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    },
    300_000,
  );
});

describe.sequential('adopting a connector that ran on Kafka Connect', () => {
  it('pipe import --from-connect keeps its offsets: adopted on the cluster, then moved to the embedded worker, no line read twice', async () => {
    const name = uniqueName('adopt');
    const root = join(dir, name);
    await mkdir(root, { recursive: true });
    const topic = `${name}-lines`;
    await createTopic(topic);
    const input = join(root, 'in.txt');
    await writeFile(input, lines(300));
    const src = `${name}-src`;
    // Made outside pipe, as a Connect user has it.
    await rest(cluster.urls[0]!, 'PUT', `/connectors/${src}/config`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      topic,
      file: input,
      'batch.size': '2000',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'header.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'errors.tolerance': 'none',
    });
    await waitFor('Connect to send the 300 lines', async () => (await topicValues(topic)).length === 300, {
      timeoutMs: 90_000,
      intervalMs: 300,
    });
    const flushed = { partition: { filename: input }, offset: { position: Buffer.byteLength(lines(300)) } };
    await waitFor(
      'Connect to store the offset after line 300',
      async () =>
        JSON.stringify((await rest(cluster.urls[1]!, 'GET', `/connectors/${src}/offsets`)).body) ===
        JSON.stringify({ offsets: [flushed] }),
      { timeoutMs: 60_000, intervalMs: 300 },
    );

    const env = { ...process.env, KAFKA_BROKERS: brokers() };
    const imported = spawnPipe(
      ['import', '--from-connect', cluster.urls[1]!, '--connector', src, '--out', root, '--project', name],
      env,
    );
    expect(await imported.exited, imported.output()).toBe(0);
    expect(imported.output()).toContain(
      `${src}: pipe plan adopts it as it is (<=), without a restart; its offsets (1 partition) stay where the cluster keeps them, and a move to another runtime carries them`,
    );
    let d = (await loadDesiredState(root, { env })).desired;
    expect((await planProject(d)).changes.map((c) => [c.action, c.address])).toEqual([
      ['adopt', `source.${src}`],
    ]);
    await applyProject(d, { autoApprove: true, waitTimeoutMs: 90_000 });
    expect(await offsetsOf(d, `source.${src}`)).toEqual([flushed]);

    // Adopted, it carries on on the cluster from line 301.
    await appendFile(input, lines(200, 301));
    await waitFor('500 lines in the topic', async () => (await topicValues(topic)).length >= 500, {
      timeoutMs: 90_000,
      intervalMs: 300,
    });
    expect(await topicValues(topic)).toEqual(lines(500).trimEnd().split('\n'));

    // Moved to the embedded worker, it carries on from line 501.
    const file = join(root, 'pipelines', 'imported.yaml');
    const yaml = parseDocument(await readFile(file, 'utf8'));
    yaml.setIn(['sources', src, 'runtime'], 'embedded');
    await writeFile(file, yaml.toString());
    d = (await loadDesiredState(root, { env })).desired;
    expect(renderHuman(await planProject(d), { colour: false })).toMatch(
      new RegExp(`~> source\\.${src} +runtime cluster → embedded, offsets carried: 1 partition\\n`),
    );
    await applyProject(d, { autoApprove: true, wait: false });
    adoptWorker = await startWorker(d.project);
    await appendFile(input, lines(100, 501));
    await waitFor('600 lines in the topic', async () => (await topicValues(topic)).length >= 600, {
      timeoutMs: 90_000,
      intervalMs: 300,
    });
    expect(await topicValues(topic)).toEqual(lines(600).trimEnd().split('\n'));
    expect((await rest(cluster.urls[0]!, 'GET', `/connectors/${src}`)).status).toBe(404);
  }, 300_000);
});

describe.sequential('moving a connector from one Kafka Connect cluster to another', () => {
  it('a file source and a file sink moved to a second cluster on the same Kafka: offsets carried, the group kept, every line once', async () => {
    secondCluster = await startTestCluster({ workers: 1 });
    const p = await newProject();
    const s = p.sides.cluster;
    await rm(join(p.root, 'pipelines', 'embedded.yaml'));
    await appendFile(
      join(p.root, 'pipeline.config.yaml'),
      `  second:
    type: connect
    urls: ["${secondCluster.urls[0]}"]
    providers: { env: env, file: file, dir: dir }
    deadlineMs: 60000
`,
    );
    let d = await load(p);
    await applyProject(d, { autoApprove: true, waitTimeoutMs: 90_000 });
    await appendFile(s.in, lines(300));
    await offsetsReach(d, `sink.${s.sink}`, [
      { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 300 } },
    ]);
    await offsetsReach(d, `source.${s.source}`, [
      { partition: { filename: s.in }, offset: { position: Buffer.byteLength(lines(300)) } },
    ]);

    await writeFile(join(p.root, 'pipelines', 'cluster.yaml'), pipelineOf(s, 'second'));
    d = await load(p);
    const human = renderHuman(await planProject(d), { colour: false });
    expect(human).toMatch(
      new RegExp(`~> source\\.${s.source} +runtime cluster → second, offsets carried: 1 partition\\n`),
    );
    expect(human).toMatch(
      new RegExp(`~> sink\\.${s.sink} +runtime cluster → second, consumer group connect-${s.sink} kept\\n`),
    );
    const applied = await applyProject(d, { autoApprove: true, waitTimeoutMs: 90_000 });
    expect(applied.wait.kind).toBe('running');
    await appendFile(s.in, lines(200, 301));
    await waitFor('500 lines in the sink file', async () => (await fileLines(s.out)).length >= 500, {
      timeoutMs: 90_000,
      intervalMs: 300,
    });
    await offsetsReach(d, `sink.${s.sink}`, [
      { partition: { kafka_topic: s.topic, kafka_partition: 0 }, offset: { kafka_offset: 500 } },
    ]);
    const expected = Array.from({ length: 500 }, (_, i) => `line-${i + 1}`);
    expect(await topicValues(s.topic)).toEqual(expected);
    expect(await fileLines(s.out)).toEqual(expected);
    for (const name of [s.source, s.sink])
      expect((await rest(cluster.urls[0]!, 'GET', `/connectors/${name}`)).status).toBe(404);
    expect((await planProject(d)).changes.filter((c) => c.action !== 'no-op')).toEqual([]);
  }, 300_000);
});
