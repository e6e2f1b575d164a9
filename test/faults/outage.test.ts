/**
 * Issue 20 item 2: a broker outage is ridden out. This file starts a broker
 * of its own (the project's launcher, on a data folder it keeps), runs a file
 * source and a file sink through it, stops the broker for longer than the
 * producer's own retries, appends lines meanwhile, and starts the broker
 * again on the same port and data: the tasks show RETRYING (not RUNNING, not
 * FAILED for good), every line arrives once the broker is back, and the
 * worker's log says each change once instead of warning every second.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSpec } from '../../src/config/model.js';
import { connectionFor, createKafka } from '../../src/kafka/client.js';
import { createTopicsAndWait } from '../../src/kafka/create-topics.js';
import { type LocalBroker, startBroker } from '../../src/kafka/local/broker.js';
import { uniqueName, waitFor } from '../helpers/kafka.js';
import { applyConnector, connectorSpec, startWorker, testProject } from '../helpers/worker.js';

let broker: LocalBroker;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pipe-outage-broker-'));
  broker = await startBroker({ dataDir, heap: '512m' });
});

afterAll(async () => {
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function lines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

async function privateProject(): Promise<ProjectSpec> {
  const project = await testProject({ offsetFlushIntervalMs: 500 });
  return { ...project, kafka: connectionFor(broker.bootstrap, 'pipe-outage') };
}

describe('faults: a broker outage', () => {
  it('is waited out in RETRYING and every line arrives once the broker is back, with one log line per change', async () => {
    const project = await privateProject();
    const topic = uniqueName('outage');
    const admin = createKafka(project.kafka).admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await admin.disconnect();
    const input = join(project.dir, 'in.txt');
    const output = join(project.dir, 'out.txt');
    await writeFile(input, '');
    const source = uniqueName('src');
    const sink = uniqueName('sink');
    const plain = { type: 'string', schemas: false, decimalFormat: 'BASE64' } as const;
    await applyConnector(
      project,
      connectorSpec({
        kind: 'source',
        name: source,
        connector: 'file',
        topic,
        config: { file: input },
        value: plain,
      }),
    );
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name: sink,
        connector: 'file',
        topics: [topic],
        config: { file: output },
        value: plain,
      }),
    );
    const w = await startWorker(project);
    try {
      const before = Array.from({ length: 5 }, (_, i) => `before-${i}`);
      await appendFile(input, `${before.join('\n')}\n`);
      await waitFor(
        'the lines before the outage in the sink',
        async () => (await lines(output)).length === 5,
      );
      const logsBefore = w.logs.length;

      await broker.stop();
      const during = Array.from({ length: 5 }, (_, i) => `during-${i}`);
      await appendFile(input, `${during.join('\n')}\n`);
      const retrying = await waitFor(
        'the source task RETRYING',
        () => w.events.find((e) => e.connector === source && e.task === 0 && e.state === 'RETRYING'),
        { timeoutMs: 60_000 },
      );
      expect(retrying.trace).toMatch(/cannot reach Kafka|producing|timed? ?out/i);

      broker = await startBroker({ dataDir, port: broker.port, heap: '512m' });
      await waitFor(
        'every line in the sink after the outage',
        async () => {
          const got = new Set(await lines(output));
          return [...before, ...during].every((l) => got.has(l));
        },
        { timeoutMs: 90_000, intervalMs: 250 },
      );
      await waitFor('the source task RUNNING again', () => {
        const own = w.events.filter((e) => e.connector === source && e.task === 0);
        return own.at(-1)?.state === 'RUNNING';
      });
      const afterLine = 'after-0';
      await appendFile(input, `${afterLine}\n`);
      await waitFor(
        'a line written after the outage in the sink',
        async () => (await lines(output)).includes(afterLine),
        {
          timeoutMs: 30_000,
        },
      );

      const outageLogs = w.logs.slice(logsBefore).filter((l) => !l.startsWith('info'));
      expect(outageLogs.filter((l) => l.includes('writing status failed')).length).toBeLessThanOrEqual(2);
      expect(outageLogs.filter((l) => l.includes('storing offsets failed')).length).toBeLessThanOrEqual(2);
      expect(outageLogs.length, outageLogs.join('\n')).toBeLessThan(12);
      const taskStates = w.events
        .filter((e) => e.task !== undefined)
        .map((e) => `${e.connector === source ? 'source' : 'sink'} ${e.state}`);
      expect(taskStates, taskStates.join('\n')).not.toContain('source FAILED');
    } finally {
      await w.stop();
    }
  }, 240_000);
});
