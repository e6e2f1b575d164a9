import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { consume, createTopic, kafka, produce, produceN, uniqueName, waitFor } from './helpers/kafka.js';
import {
  applyConnector,
  connectorSpec,
  setTargetState,
  startWorker,
  statusKey,
  statusOf,
  testProject,
} from './helpers/worker.js';

async function lines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

const STRING = { type: 'string', schemas: false, decimalFormat: 'BASE64' } as const;

/** Takes what this process writes to stdout (calling back as the stream would) until restored. */
function captureStdout() {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest: unknown[]) => {
    chunks.push(String(chunk));
    const callback = rest.find((r): r is (err?: Error | null) => void => typeof r === 'function');
    callback?.();
    return true;
  });
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== ''),
    restore: () => spy.mockRestore(),
  };
}
describe('worker: sinks', () => {
  it('shares a 3-partition topic among 3 tasks of group connect-<name>; pause and resume keep every record', async () => {
    const project = await testProject();
    const topic = uniqueName('orders');
    await createTopic(topic, 3);
    const name = uniqueName('file-sink');
    const out = join(project.dir, 'out.txt');
    const spec = connectorSpec({
      kind: 'sink',
      name,
      connector: 'file',
      topics: [topic],
      tasks: 3,
      config: { file: out },
      value: STRING,
      key: STRING,
    });
    const shared = connectorSpec({
      ...spec,
      name: uniqueName('shared'),
      connector: 'console',
      config: { format: 'value' },
    });
    await applyConnector(project, spec);
    await applyConnector(project, shared);
    // The console sink prints on this process's stdout: keep its 3,000 lines for the
    // check below instead of in the test run's output.
    const printed = captureStdout();
    const w = await startWorker(project);
    try {
      await Promise.all([0, 1, 2].map((t) => w.taskState(shared.name, t, 'RUNNING')));
      await produceN(topic, 3000, (i) => `r-${i}`);
      await waitFor('3000 lines in the sink file', async () => (await lines(out)).length >= 3000);
      await waitFor('every shared task to have records', () => {
        const tasks = w.worker.herder.tasks().filter((t) => t.connector === shared.name);
        return tasks.length === 3 && tasks.every((t) => t.runner.counters.recordsOut > 0) && tasks;
      });
      const perTask = w.worker.herder
        .tasks()
        .filter((t) => t.connector === shared.name)
        .map((t) => t.runner.counters.recordsOut);
      expect(perTask.reduce((a, b) => a + b, 0)).toBe(3000);
      await waitFor('every record printed by the console sink', () => printed.lines().length >= 3000);
      expect(new Set(printed.lines())).toEqual(new Set(Array.from({ length: 3000 }, (_, i) => `r-${i}`)));
      await waitFor('group connect-<name> to have committed every record', async () => {
        const admin = kafka().admin();
        await admin.connect();
        try {
          const [committed] = await admin.fetchOffsets({ groupId: `connect-${name}`, topics: [topic] });
          return committed?.partitions.reduce((sum, p) => sum + Number(p.offset), 0) === 3000;
        } finally {
          await admin.disconnect();
        }
      });

      await setTargetState(project, name, 'paused');
      await w.taskState(name, 0, 'PAUSED');
      await waitFor(
        'PAUSED in the status topic',
        async () => (await statusOf(project, statusKey.connector(name)))?.state === 'PAUSED',
      );
      await produceN(topic, 1000, (i) => `p-${i}`);
      // While paused, the records wait in Kafka: the file does not grow.
      await waitFor(
        'the shared sink to take the new records',
        () =>
          w.worker.herder
            .tasks()
            .filter((t) => t.connector === shared.name)
            .reduce((a, t) => a + t.runner.counters.recordsOut, 0) === 4000,
      );
      expect((await lines(out)).length).toBe(3000);

      await setTargetState(project, name, 'running');
      await waitFor('4000 lines after resume', async () => (await lines(out)).length >= 4000);
      const all = await lines(out);
      expect(new Set(all).size).toBe(4000);
      expect(all.length).toBe(4000);
    } finally {
      await w.stop();
      printed.restore();
    }
  });

  it('with topicsRegex, reads every topic whose whole name matches, one created while it runs too', async () => {
    const project = await testProject();
    const prefix = uniqueName('rx');
    await createTopic(`${prefix}-a`, 1);
    await createTopic(`${prefix}-a-not`, 1);
    const name = uniqueName('regex-sink');
    const out = join(project.dir, 'regex.txt');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topicsRegex: `${prefix}-[a-z]`,
        config: { file: out },
        value: STRING,
      }),
    );
    const w = await startWorker(project);
    try {
      await w.taskState(name, 0, 'RUNNING');
      await produce(`${prefix}-a`, [{ value: 'from-a' }]);
      await produce(`${prefix}-a-not`, [{ value: 'not-matched' }]);
      await waitFor('the matching topic in the sink', async () => (await lines(out)).includes('from-a'));
      await createTopic(`${prefix}-b`, 2);
      await produce(`${prefix}-b`, [
        { value: 'from-b-0', partition: 0 },
        { value: 'from-b-1', partition: 1 },
      ]);
      await waitFor('the topic created later in the sink', async () => (await lines(out)).length >= 3, {
        timeoutMs: 30_000,
      });
      // At least once: the rebalance that adds the new topic may deliver a record again, never skip one.
      expect(new Set(await lines(out))).toEqual(new Set(['from-a', 'from-b-0', 'from-b-1']));
    } finally {
      await w.stop();
    }
  });

  it('waits in RETRYING for a topic that does not exist yet, and reads it once created', async () => {
    const project = await testProject();
    const topic = uniqueName('not-yet');
    const name = uniqueName('early-sink');
    const out = join(project.dir, 'early.txt');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topics: [topic],
        config: { file: out },
        value: STRING,
      }),
    );
    const w = await startWorker(project);
    try {
      const retrying = await w.taskState(name, 0, 'RETRYING');
      expect(retrying.trace).toMatch(new RegExp(`Unknown topic ${topic}`));
      await createTopic(topic, 1);
      await produce(topic, [{ value: 'late' }]);
      await waitFor('the record in the sink', async () => (await lines(out)).includes('late'), {
        timeoutMs: 30_000,
      });
      await w.taskState(name, 0, 'RUNNING');
    } finally {
      await w.stop();
    }
  });

  it('with errors.tolerance all, skips unreadable records, counts them and writes them to the dead letter topic', async () => {
    const project = await testProject();
    const topic = uniqueName('events');
    const dlq = uniqueName('dlq');
    await createTopic(topic, 1);
    await createTopic(dlq, 1);
    const name = uniqueName('json-sink');
    const out = join(project.dir, 'events.txt');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topics: [topic],
        config: { file: out },
        value: { type: 'json', schemas: false, decimalFormat: 'BASE64' },
        errors: { tolerance: 'all', deadLetterTopic: dlq, retries: 0 },
      }),
    );
    const w = await startWorker(project);
    try {
      await produce(topic, [
        { value: '"good-1"' },
        { value: '{not json', headers: { trace: 't-1' } },
        { value: '"good-2"' },
      ]);
      await waitFor('two good lines', async () => (await lines(out)).length >= 2);
      expect(await lines(out)).toEqual(['good-1', 'good-2']);
      const [letter] = await consume(dlq, 1);
      expect(letter?.value?.toString()).toBe('{not json');
      expect(letter?.headers['trace']?.toString()).toBe('t-1');
      expect(letter?.headers['__connect.errors.topic']?.toString()).toBe(topic);
      expect(letter?.headers['__connect.errors.offset']?.toString()).toBe('1');
      expect(letter?.headers['__connect.errors.stage']?.toString()).toBe('VALUE_CONVERTER');
      expect(letter?.headers['__connect.errors.connector.name']?.toString()).toBe(name);
      await waitFor('the failure counted in the status topic', async () => {
        const s = await statusOf(project, statusKey.task(name, 0));
        return s?.metrics?.recordsFailed === 1 && s.state === 'RUNNING' && s;
      });
    } finally {
      await w.stop();
    }
  });

  it('with errors.tolerance none, fails the task with the error and commits nothing past it', async () => {
    const project = await testProject();
    const topic = uniqueName('events');
    await createTopic(topic, 1);
    const name = uniqueName('strict-sink');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topics: [topic],
        config: { file: join(project.dir, 'strict.txt') },
        value: { type: 'json', schemas: true, decimalFormat: 'BASE64' },
      }),
    );
    const w = await startWorker(project);
    try {
      await produce(topic, [{ value: 'plain text, not JSON' }]);
      const failed = await w.taskState(name, 0, 'FAILED');
      expect(failed.trace).toMatch(/value converter failed at .*@0/);
      await waitFor('FAILED with its trace in the status topic', async () => {
        const s = await statusOf(project, statusKey.task(name, 0));
        return s?.state === 'FAILED' && s.trace?.includes('value converter failed') && s;
      });
    } finally {
      await w.stop();
    }
  });

  it('starts a sink applied as paused without consuming, and a sink whose task cannot start as FAILED', async () => {
    const project = await testProject();
    const topic = uniqueName('later');
    await createTopic(topic, 1);
    const out = join(project.dir, 'later.txt');
    const paused = connectorSpec({
      kind: 'sink',
      name: uniqueName('paused'),
      connector: 'file',
      topics: [topic],
      config: { file: out },
      value: STRING,
    });
    // The sink file's folder is a file: the task cannot open it.
    await writeFile(join(project.dir, 'blocker'), '');
    const broken = connectorSpec({
      kind: 'sink',
      name: uniqueName('broken'),
      connector: 'file',
      topics: [topic],
      config: { file: join(project.dir, 'blocker', 'out.txt') },
      value: STRING,
    });
    await applyConnector(project, paused, 'paused');
    await applyConnector(project, broken);
    await produce(topic, [{ value: 'one' }, { value: 'two' }]);
    const w = await startWorker(project);
    try {
      const failed = await w.taskState(broken.name, 0, 'FAILED');
      expect(failed.trace).toMatch(/ENOTDIR|EEXIST/);
      await w.taskState(paused.name, 0, 'PAUSED');
      expect(await lines(out)).toEqual([]);
      await setTargetState(project, paused.name, 'running');
      await waitFor('both records after resume', async () => (await lines(out)).length === 2);
    } finally {
      await w.stop();
    }
  });
});
