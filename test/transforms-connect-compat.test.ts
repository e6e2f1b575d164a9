/**
 * One pipeline file declares the same transform chain (short type names, a
 * predicate) on two file sources over the same file: one applied to a Kafka
 * Connect cluster through pipe's Connect runtime (Connect's own SMT classes,
 * given the transforms.* / predicates.* settings pipe maps the YAML to), one
 * run by pipe's embedded worker. Both topics must hold the same key, value
 * and header bytes.
 */
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { loadDesiredState } from '../src/config/load.js';
import { startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, consume, uniqueName } from './helpers/kafka.js';
import { startWorker } from './helpers/worker.js';

let cluster: TestCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-transforms-compat-'));
  cluster = await startTestCluster({ workers: 1 });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const CHAIN = `    transforms:
      - name: wrap
        type: HoistField$Value
        config: { field: line }
      - name: origin
        type: InsertField$Value
        config: { static.field: origin, static.value: "file!" }
      - name: key
        type: ValueToKey
        config: { fields: [line] }
      - name: key-text
        type: ExtractField$Key
        config: { field: line }
      - name: mask
        type: MaskField$Value
        config: { fields: [origin], replacement: hidden }
      - name: drop-marked
        type: Filter
        predicate: marked
      - name: tag
        type: InsertHeader
        config: { header: app, value.literal: pipe }
      - name: schema-name
        type: SetSchemaMetadata$Value
        config: { schema.name: demo.Line, schema.version: 2 }
`;

const bytes = (messages: Awaited<ReturnType<typeof consume>>) =>
  messages
    .map((m) => ({
      key: m.key?.toString(),
      value: m.value?.toString(),
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v?.toString()])),
    }))
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));

describe('transforms: the same YAML on a Kafka Connect cluster and in the embedded worker', () => {
  it('writes the same key, value and header bytes', async () => {
    const name = uniqueName('smt');
    const root = join(dir, name);
    await mkdir(join(root, 'pipelines'), { recursive: true });
    const input = join(root, 'in.txt');
    await writeFile(input, '');
    const onConnect = `${name}-connect`;
    const embedded = `${name}-pipe`;
    await writeFile(
      join(root, 'pipeline.config.yaml'),
      `project: ${name}
kafka: { brokers: ["${brokers()}"] }
runtimes:
  cluster:
    type: connect
    urls: [${cluster.urls.map((u) => `"${u}"`).join(', ')}]
    deadlineMs: 60000
`,
    );
    await writeFile(
      join(root, 'pipelines', 'lines.yaml'),
      `topics:
  ${onConnect}: {}
  ${embedded}: {}
predicates:
  marked:
    type: HasHeaderKey
    config: { name: skip }
sources:
  ${onConnect}:
    connector: file
    runtime: cluster
    topic: ${onConnect}
    config: { file: ${input} }
${CHAIN}  ${embedded}:
    connector: file
    topic: ${embedded}
    config: { file: ${input} }
${CHAIN}`,
    );
    const { desired } = await loadDesiredState(root);
    await applyProject(desired, { autoApprove: true, waitTimeoutMs: 60_000 });
    const w = await startWorker(desired.project);
    try {
      for (const line of ['aaa', 'bbb', 'ccc']) await appendFile(input, `${line}\n`);
      const fromConnect = bytes(await consume(onConnect, 3, 90_000));
      const fromPipe = bytes(await consume(embedded, 3));
      expect(fromPipe).toEqual(fromConnect);
      expect(fromPipe[0]).toEqual({
        key: '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
        value:
          '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"origin"}],"optional":false,"name":"demo.Line","version":2},"payload":{"line":"aaa","origin":"hidden"}}',
        headers: { app: 'pipe' },
      });
    } finally {
      await w.stop();
    }
  });
});
