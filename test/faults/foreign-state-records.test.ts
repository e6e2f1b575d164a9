/**
 * Records pipe did not write, in each of its state topics: not UTF-8, not
 * JSON, Kafka Connect's `{properties}`, JSON of the wrong shape, a lock of the
 * wrong shape, a heartbeat dated in the future. Plan, apply, status and the
 * worker go on, each warning of every such record by topic, partition and
 * offset; a lock that would block applies for years is broken with
 * force-unlock.
 */
import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateTopicNames } from '../../src/state/records.js';
import { runCli } from '../fixtures/plan/cli.js';
import { brokers, kafka, uniqueName, waitFor } from '../helpers/kafka.js';
import { spawnPipe } from '../helpers/pipe-process.js';

const project = uniqueName('foreign');
const names = stateTopicNames(`pipe-${project}`);
const topic = uniqueName('lines');
let dir: string;

interface Written {
  topic: string;
  partition: number;
  offset: string;
}

async function write(to: string, key: string | Buffer, value: string | Buffer | null): Promise<Written> {
  const producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const [meta] = await producer.send({ topic: to, acks: -1, messages: [{ key, value }] });
    if (!meta?.baseOffset) throw new Error(`no offset for the record written to ${to}`);
    return { topic: to, partition: meta.partition, offset: meta.baseOffset };
  } finally {
    await producer.disconnect();
  }
}

const place = (w: Written) => `in ${w.topic} partition ${w.partition} offset ${w.offset}`;

async function pipeline(extraTopic = ''): Promise<void> {
  await writeFile(
    join(dir, 'pipelines', 'p.yaml'),
    [
      'pipeline: lines',
      'topics:',
      `  ${topic}: { partitions: 1, replicationFactor: 1 }`,
      ...(extraTopic ? [`  ${extraTopic}: { partitions: 1, replicationFactor: 1 }`] : []),
      `sources: { in: { connector: file, topic: ${topic}, config: { file: in.txt }, value: { converter: string } } }`,
      `sinks: { out: { connector: file, topics: [${topic}], config: { file: out.txt }, value: { converter: string } } }`,
      '',
    ].join('\n'),
  );
}

const foreign: Record<string, Written> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-foreign-'));
  await writeFile(
    join(dir, 'pipeline.config.yaml'),
    `project: ${project}\nkafka: { brokers: ["${brokers()}"] }\nworker: { offsetFlushIntervalMs: 200 }\n`,
  );
  await mkdir(join(dir, 'pipelines'));
  await pipeline();
  const applied = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
  expect(applied.code, applied.stderr).toBe(0);

  foreign['configsNotJson'] = await write(names.configs, 'connector-x', 'not json {');
  foreign['configsNotUtf8'] = await write(names.configs, 'managed-topic-q', Buffer.from([0xc3, 0x28]));
  foreign['configsConnect'] = await write(
    names.configs,
    'connector-y',
    JSON.stringify({ properties: { 'connector.class': 'FileStreamSource', file: '/etc/hosts' } }),
  );
  foreign['configsNoName'] = await write(
    names.configs,
    'connector-z',
    JSON.stringify({ project, spec: {}, appliedAt: '' }),
  );
  foreign['configsLock'] = await write(names.configs, 'lock', JSON.stringify({ id: 'half', holder: 7 }));
  foreign['statusTrace'] = await write(
    names.status,
    'status-task-out-0',
    JSON.stringify({ state: 'FAILED', trace: 7, worker_id: 'w', generation: 1 }),
  );
  foreign['statusNotJson'] = await write(names.status, 'status-connector-in', '\u0000garbage');
  // A valid heartbeat, dated a century ahead: not a live worker.
  await write(
    names.status,
    'status-worker-ghost',
    JSON.stringify({
      worker_id: 'ghost',
      project,
      startedAt: '2099-01-01T00:00:00Z',
      heartbeatAt: '2099-01-01T00:00:00Z',
    }),
  );
  foreign['offsetsKey'] = await write(names.offsets, 'not a connect key', '{}');
});

describe('foreign records in the state topics', () => {
  it('plan shows no change and warns of each record, by topic, partition and offset; a tombstone does not hide it', async () => {
    const json = await runCli(['-C', dir, 'plan', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).not.toContain('undefined');
    const plan = JSON.parse(json.stdout) as {
      changes: Array<{ action: string }>;
      diagnostics: Array<{ severity: string; code: string; summary: string }>;
    };
    const warnings = plan.diagnostics.filter((d) => d.code === 'FOREIGN_RECORD').map((d) => d.summary);
    expect(plan.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    for (const key of [
      'configsNotJson',
      'configsNotUtf8',
      'configsConnect',
      'configsNoName',
      'configsLock',
    ]) {
      expect(
        warnings.some((w) => w.includes(place(foreign[key]!))),
        key,
      ).toBe(true);
    }
    expect(warnings.some((w) => w.includes(place(foreign['statusTrace']!)))).toBe(true);

    await write(names.configs, 'connector-x', null);
    const human = await runCli(['-C', dir, 'plan', '--detailed-exitcode']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('No changes');
    expect(human.stdout).toContain(
      `${place(foreign['configsNotJson']!)} (key connector-x): the value is not JSON`,
    );
  });

  it('apply takes the lock past a lock record of the wrong shape and applies', async () => {
    const extra = uniqueName('extra');
    await pipeline(extra);
    const applied = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`+ topic.${extra}: created`);
    await pipeline();
    const removed = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait', '--allow-delete']);
    expect(removed.code, removed.stderr).toBe(0);
  });

  it('status lists the project’s connectors, counts no worker for a heartbeat from the future, and warns', async () => {
    const status = await runCli(['-C', dir, 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`no worker is running for ${project}`);
    expect(status.stdout).toMatch(/^in +source:file/m);
    expect(status.stdout).toMatch(/^out +sink:file/m);
    expect(status.stderr).toContain(`${place(foreign['statusTrace']!)} (key status-task-out-0)`);
    expect(status.stderr).toContain(`${place(foreign['statusNotJson']!)} (key status-connector-in)`);

    const json = await runCli(['-C', dir, 'status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { workers: unknown[]; diagnostics: Array<{ code: string }> };
    expect(report.workers).toEqual([]);
    expect(report.diagnostics.filter((d) => d.code === 'FOREIGN_RECORD').length).toBeGreaterThanOrEqual(7);
  });

  it('a worker runs past them, moves data, and stops at SIGTERM', async () => {
    const worker = spawnPipe(['run', '-C', dir, '--no-http']);
    try {
      await waitFor('the worker to warn of the offsets record', () =>
        worker.output().includes(`${place(foreign['offsetsKey']!)} (key not a connect key)`),
      );
      await appendFile(join(dir, 'in.txt'), 'one\ntwo\n');
      await waitFor(
        'the lines in the sink file',
        async () => {
          try {
            return (await readFile(join(dir, 'out.txt'), 'utf8')) === 'one\ntwo\n';
          } catch {
            return false;
          }
        },
        { timeoutMs: 40_000 },
      );
      expect(worker.output()).toContain(`${place(foreign['configsConnect']!)} (key connector-y)`);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  });

  it('force-unlock breaks a lock that would hold for years, after approval, and only the lock named', async () => {
    const since = new Date().toISOString();
    await write(
      names.configs,
      'lock',
      JSON.stringify({
        id: 'ghost-lock',
        holder: 'ghost@nowhere pid 1',
        since,
        expiresAt: '2099-01-01T00:00:00.000Z',
      }),
    );
    const blocked = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('error[LOCKED]');
    expect(blocked.stderr).toContain('lock id ghost-lock');
    expect(blocked.stderr).toContain('`pipe force-unlock LOCK_ID` breaks the lock');

    const unapproved = await runCli(['-C', dir, 'force-unlock', 'ghost-lock']);
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).toContain('error[APPLY_REFUSED]');
    const wrongId = await runCli(['-C', dir, 'force-unlock', 'another-lock', '--auto-approve']);
    expect(wrongId.code).toBe(1);
    expect(wrongId.stderr).toContain('locked with lock id ghost-lock, not another-lock');
    expect((await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait'])).code).toBe(1);

    const broken = await runCli(['-C', dir, 'force-unlock', 'ghost-lock', '--auto-approve']);
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.stdout).toContain('Broke the lock ghost-lock, held by ghost@nowhere pid 1');
    const applied = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
    expect(applied.code, applied.stderr).toBe(0);
    const again = await runCli(['-C', dir, 'force-unlock', '--auto-approve']);
    expect(again.stdout).toBe(`project ${project} is not locked: nothing to do\n`);
  });
});
