/**
 * A secret given by `${env:…}` that ends up in an error: a file sink whose
 * path holds the secret fails with EISDIR. The error's text reaches the
 * status topic, the worker's log, `pipe status` and the plans (human, JSON,
 * Markdown, the saved file) with the reference in place of the value. And a
 * saved plan is the same file whatever the secret's value, while still going
 * stale when the configuration moves.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../../src/kafka/read-topic.js';
import { stateTopicNames } from '../../src/state/records.js';
import { foldStatusTopic } from '../../src/state/status-topic.js';
import { runCli } from '../fixtures/plan/cli.js';
import { brokers, kafka, uniqueName, waitFor } from '../helpers/kafka.js';
import { type PipeProcess, spawnPipe } from '../helpers/pipe-process.js';

const VAR = 'PIPE_FAULT_DB_PASSWORD';
const REFERENCE = `\${env:${VAR}}`;
const secretA = `hunter2-${uniqueName('a')}`;
const secretB = `swordfish-${uniqueName('b')}`;
const project = uniqueName('secrets');
const names = stateTopicNames(`pipe-${project}`);
const topic = uniqueName('lines');
let dir: string;
let worker: PipeProcess | undefined;

async function pipeline(extraTopic = ''): Promise<void> {
  await writeFile(
    join(dir, 'pipelines', 'p.yaml'),
    [
      'pipeline: lines',
      'topics:',
      `  ${topic}: { partitions: 1, replicationFactor: 1 }`,
      ...(extraTopic ? [`  ${extraTopic}: { partitions: 1, replicationFactor: 1 }`] : []),
      `sources: { in: { connector: file, topic: ${topic}, config: { file: in.txt }, value: { converter: string } } }`,
      'sinks:',
      '  out:',
      '    connector: file',
      `    topics: [${topic}]`,
      `    config: { file: "out/dir-${REFERENCE}" }`,
      '    value: { converter: string }',
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-secrets-fault-'));
  process.env[VAR] = secretA;
  await writeFile(
    join(dir, 'pipeline.config.yaml'),
    `project: ${project}\nkafka: { brokers: ["${brokers()}"] }\n`,
  );
  await mkdir(join(dir, 'pipelines'));
  // The sink's file is a folder: opening it fails with EISDIR, naming the path and so the secret.
  await mkdir(join(dir, 'out', `dir-${secretA}`), { recursive: true });
  await writeFile(join(dir, 'in.txt'), 'one\n');
  await pipeline();
  const applied = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
  expect(applied.code, applied.stderr).toBe(0);
  worker = spawnPipe(['run', '-C', dir, '--no-http'], { ...process.env, [VAR]: secretA });
  // pipe run from the sources (vite-node) takes 15 s to start at a load of 15 on 2 cores: past the default wait.
  await waitFor(
    'the sink task to fail in the status topic',
    async () => {
      const status = foldStatusTopic(names.status, await readTopicToEnd(kafka(), names.status));
      return status.tasks.get('out')?.get(0)?.state === 'FAILED';
    },
    { timeoutMs: 60_000 },
  );
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  delete process.env[VAR];
});

const noSecret = (text: string) => {
  expect(text).not.toContain(secretA);
  expect(text).not.toContain('hunter2');
};

describe('a secret in an error', () => {
  it('is stored in the status topic as its reference', async () => {
    const raw = (await readTopicToEnd(kafka(), names.status))
      .map((r) => r.value?.toString('utf8') ?? '')
      .join('\n');
    expect(raw).toContain('EISDIR');
    expect(raw).toContain(`dir-${REFERENCE}`);
    noSecret(raw);
  });

  it('is logged by the worker as its reference', () => {
    const log = worker?.output() ?? '';
    expect(log).toMatch(/task out-0 FAILED: .*EISDIR/);
    expect(log).toContain(REFERENCE);
    noSecret(log);
  });

  it('is shown by pipe status as its reference', async () => {
    const status = await runCli(['-C', dir, 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`dir-${REFERENCE}`);
    noSecret(status.stdout + status.stderr);
    const json = await runCli(['-C', dir, 'status', '--json']);
    expect(json.stdout).toContain('EISDIR');
    noSecret(json.stdout);
  });

  it('is quoted by every form of the plan as its reference', async () => {
    for (const format of ['human', 'json', 'markdown']) {
      const plan = await runCli(['-C', dir, 'plan', '--format', format]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout, format).toContain(`dir-${REFERENCE}`);
      noSecret(plan.stdout + plan.stderr);
    }
  });
});

describe('a saved plan', () => {
  it('is the same file whatever the secret’s value, and goes stale when the configuration moves', async () => {
    const fileA = join(dir, 'a.plan.json');
    const fileB = join(dir, 'b.plan.json');
    await pipeline(uniqueName('extra'));
    expect((await runCli(['-C', dir, 'plan', '--out', fileA])).code).toBe(0);
    process.env[VAR] = secretB;
    expect((await runCli(['-C', dir, 'plan', '--out', fileB])).code).toBe(0);
    const [a, b] = [await readFile(fileA, 'utf8'), await readFile(fileB, 'utf8')];
    expect(a).toBe(b);
    noSecret(a);
    expect(a).not.toContain(secretB);

    await pipeline(uniqueName('other'));
    const stale = await runCli(['-C', dir, 'apply', fileA, '--no-wait']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('error[PLAN_STALE]');
  });
});
