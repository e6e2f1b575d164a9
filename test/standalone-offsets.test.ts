/**
 * Coming from Kafka Connect standalone: a real ConnectStandalone runs a
 * FileStreamSource and stops, `pipe import` reads its worker and connector
 * files and converts the offsets Connect left in its Java-serialized offset
 * file, and `pipe run` carries on where Connect stopped: every line of the
 * file exactly once in the topic, none read twice. An offset file pipe
 * cannot use ends `pipe run` at once with the reason, naming the file.
 */
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectStandalone, toProperties } from '../src/kafka/local/connect.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { parseStandaloneOffsets } from '../src/state/standalone-offsets.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { type PipeProcess, spawnPipe } from './helpers/pipe-process.js';

let dir: string;
const running: PipeProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-standalone-offsets-'));
});

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const lines = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `line-${String(from + i).padStart(5, '0')}\n`).join('');

/** Each record's line: JsonConverter envelopes with schemas, as Connect and the imported project write them. */
async function topicLines(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map(
    (r) => JSON.parse(r.value?.toString() ?? 'null')?.payload as string,
  );
}

async function pipe(args: string[]): Promise<{ code: number | null; output: string }> {
  const p = spawnPipe(args, { ...process.env, KAFKA_BROKERS: brokers() });
  running.push(p);
  const code = await p.exited;
  return { code, output: p.output() };
}

describe('coming from Kafka Connect standalone', () => {
  it('resumes a FileStreamSource under pipe where ConnectStandalone stopped, without reading a line twice', async () => {
    const topic = uniqueName('standalone');
    await createTopic(topic);
    const input = join(dir, 'in.txt');
    await writeFile(input, lines(300));
    const offsetsFile = join(dir, 'connect', 'connect.offsets');
    await mkdir(join(dir, 'connect'));
    const connector = {
      name: `${topic}-source`,
      'connector.class': 'FileStreamSourceConnector',
      'tasks.max': '1',
      file: input,
      topic,
    };
    const connect = await startConnectStandalone({
      brokers: brokers(),
      connectors: [connector],
      offsetsFile,
      workerProps: { 'offset.flush.interval.ms': '1000' },
    });
    try {
      await waitFor('Connect to send the 300 lines', async () => (await topicLines(topic)).length === 300, {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
    } finally {
      // A task's last offset commit comes at its stop.
      await connect.stop();
    }
    const stored = parseStandaloneOffsets(offsetsFile, await readFile(offsetsFile));
    expect(stored.map((e) => [e.key.toString(), e.value?.toString()])).toEqual([
      [
        JSON.stringify([connector.name, { filename: input }]),
        JSON.stringify({ position: (await stat(input)).size }),
      ],
    ]);

    // The files a Connect standalone user has: the worker's and the connector's.
    const workerFile = join(dir, 'connect-standalone.properties');
    await writeFile(
      workerFile,
      toProperties({
        'bootstrap.servers': brokers(),
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'true',
        'value.converter.schemas.enable': 'true',
        'offset.storage.file.filename': offsetsFile,
        'offset.flush.interval.ms': '1000',
      }),
    );
    const sourceFile = join(dir, 'connect-source.properties');
    await writeFile(sourceFile, toProperties(connector));
    const project = join(dir, 'project');
    const imported = await pipe(['import', workerFile, sourceFile, '--out', project, '--project', topic]);
    expect(imported.output).toContain(
      `converted the offsets of ${connector.name} (1 partition) from ${offsetsFile} (left as it was) into .pipe/offsets.json`,
    );
    expect(imported.code).toBe(0);
    const applied = await pipe(['-C', project, 'apply', '--auto-approve', '--no-wait']);
    expect(applied.code, applied.output).toBe(0);

    await appendFile(input, lines(200, 301));
    const run = spawnPipe(['run', '-C', project, '--no-http'], { ...process.env, KAFKA_BROKERS: brokers() });
    running.push(run);
    await waitFor('pipe to send the 200 new lines', async () => (await topicLines(topic)).length >= 500, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    run.child.kill('SIGTERM');
    expect(await run.exited, run.output()).toBe(0);
    expect(await topicLines(topic)).toEqual(lines(500).trimEnd().split('\n'));
  }, 240_000);

  it("ends pipe run and pipe up at once, naming the file, when the worker's offset file is Connect's own", async () => {
    const project = join(dir, 'unusable');
    await mkdir(project);
    const connectFile = join(project, 'connect.offsets');
    await copyFile(
      new URL('./fixtures/connect-standalone/two-file-sources-4.2.0.offsets', import.meta.url),
      connectFile,
    );
    await writeFile(
      join(project, 'pipeline.config.yaml'),
      [
        'version: 1',
        `project: ${uniqueName('unusable')}`,
        `kafka: { brokers: ${brokers()} }`,
        'worker: { offsetStorage: file, offsetFile: connect.offsets }',
        '',
      ].join('\n'),
    );
    for (const command of ['run', 'up']) {
      const started = await pipe([command, '-C', project, '--no-http']);
      expect(started.code, started.output).toBe(1);
      expect(started.output).toContain(
        `offset file ${connectFile} is Kafka Connect standalone's (Java-serialized)`,
      );
    }

    await writeFile(connectFile, '{"offsets": ');
    const garbled = await pipe(['run', '-C', project, '--no-http']);
    expect(garbled.code).toBe(1);
    expect(garbled.output).toContain(`offset file ${connectFile} is not JSON`);
  }, 60_000);
});
