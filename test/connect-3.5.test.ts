/**
 * A real Kafka Connect 3.5 worker (Maven Central's 3.5.2 jars) beside the
 * test broker. KIP-875 came in two releases: 3.5 reads a connector's offsets
 * and stops connectors, 3.6 changes offsets (3.5 answers PATCH and DELETE
 * with 405). pipe reads offsets there and moves a connector out of it with
 * its offsets; it refuses, before stopping anything, whatever would have to
 * change offsets on it: `pipe offsets set/reset`, and a move into it.
 */
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { changeConnectorOffsets, readConnectorOffsets } from '../src/apply/offsets.js';
import { renderHuman } from '../src/cli/views/plan-human.js';
import { loadDesiredState } from '../src/config/load.js';
import type { DesiredState } from '../src/config/model.js';
import { PipeError } from '../src/errors.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { planProject } from '../src/plan/index.js';
import { rest, startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { startWorker, type TestWorker } from './helpers/worker.js';

const VERSION = '3.5.2';
let cluster: TestCluster;
let dir: string;
let worker: TestWorker | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-connect-35-'));
  cluster = await startTestCluster({ version: VERSION, workers: 1 });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line-${from + i}\n`).join('');

async function topicValues(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '');
}

async function rejection(promise: Promise<unknown>): Promise<PipeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PipeError)) throw new Error(`expected a PipeError, got ${String(err)}`);
  return err;
}

describe(`Kafka Connect ${VERSION}: offsets read, not changed`, () => {
  it('reads a source’s offsets, refuses to change them with nothing stopped, and moves it to the embedded worker with them', async () => {
    expect(cluster.version).toBe(VERSION);
    const name = uniqueName('c35');
    const root = join(dir, name);
    await mkdir(join(root, 'pipelines'), { recursive: true });
    const topic = `${name}-lines`;
    const input = join(root, 'in.txt');
    await writeFile(input, '');
    await writeFile(
      join(root, 'pipeline.config.yaml'),
      `project: ${name}
kafka: { brokers: ["${brokers()}"] }
worker: { offsetFlushIntervalMs: 300 }
runtimes:
  old:
    type: connect
    urls: ["${cluster.urls[0]}"]
    providers: { env: env, file: file, dir: dir }
    deadlineMs: 60000
`,
    );
    const pipeline = (runtime: string) => `topics:
  ${topic}: {}
sources:
  ${name}-src:
    connector: file
    runtime: ${runtime}
    topic: ${topic}
    value: { converter: string }
    config: { file: ${input} }
`;
    const file = join(root, 'pipelines', 'p.yaml');
    await writeFile(file, pipeline('old'));
    const address = `source.${name}-src`;
    let desired: DesiredState = (await loadDesiredState(root)).desired;
    await applyProject(desired, { autoApprove: true, waitTimeoutMs: 90_000 });

    await appendFile(input, lines(5));
    const afterFive = [{ partition: { filename: input }, offset: { position: Buffer.byteLength(lines(5)) } }];
    await waitFor(
      'the 3.5 worker to store the offset after line 5',
      async () =>
        JSON.stringify((await readConnectorOffsets(desired, address)).offsets) === JSON.stringify(afterFive),
      { timeoutMs: 60_000, intervalMs: 300 },
    );

    // Changing them would need PATCH/DELETE: refused before the connector is stopped.
    const reset = await rejection(changeConnectorOffsets(desired, address, 'reset', { autoApprove: true }));
    expect(reset.code).toBe('OFFSETS_UNSUPPORTED');
    expect(reset.message).toContain(`runs ${VERSION}, which cannot change offsets`);
    const status = (await rest(cluster.urls[0]!, 'GET', `/connectors/${name}-src/status`)).body as {
      connector: { state: string };
    };
    expect(status.connector.state).toBe('RUNNING');
    expect((await readConnectorOffsets(desired, address)).offsets).toEqual(afterFive);

    // Out of 3.5 with its offsets: read there, written to the embedded runtime.
    await writeFile(file, pipeline('embedded'));
    desired = (await loadDesiredState(root)).desired;
    expect(renderHuman(await planProject(desired), { colour: false })).toMatch(
      new RegExp(
        `~> ${address.replace('.', '\\.')} +runtime old → embedded, offsets carried: 1 partition\\n`,
      ),
    );
    await applyProject(desired, { autoApprove: true, wait: false });
    worker = await startWorker(desired.project);
    await appendFile(input, lines(5, 6));
    await waitFor('10 lines in the topic', async () => (await topicValues(topic)).length >= 10, {
      timeoutMs: 60_000,
      intervalMs: 300,
    });
    expect(await topicValues(topic)).toEqual(lines(10).trimEnd().split('\n'));
    expect((await rest(cluster.urls[0]!, 'GET', `/connectors/${name}-src`)).status).toBe(404);

    // Into 3.5 the offsets could not be written: the plan refuses the move.
    await waitFor(
      'the embedded worker to store the offset after line 10',
      async () =>
        (await readConnectorOffsets(desired, address)).offsets[0]?.offset?.['position'] ===
        Buffer.byteLength(lines(10)),
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    await writeFile(file, pipeline('old'));
    const back = await planProject((await loadDesiredState(root)).desired);
    expect(back.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'MOVE_WITHOUT_OFFSETS',
        summary: `${address} moves from runtime "embedded" to "old", but runtime "old" cannot write offsets (Kafka Connect 3.6 and later can), so its 1 offset cannot be carried over`,
      }),
    );
  }, 300_000);
});
