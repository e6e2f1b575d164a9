/**
 * Issue 20 item 1: a source task that cannot deliver must say so in its
 * state within seconds, in the broker's words, never stay RUNNING. Each test
 * breaks delivery on purpose on the real broker: a topic that does not
 * exist, a record over the topic's max.message.bytes, and a limit lowered
 * behind the worker's back so that the broker itself refuses a send.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../../src/kafka/read-topic.js';
import { consume, createTopic, kafka, produce, uniqueName, waitFor } from '../helpers/kafka.js';
import {
  applyConnector,
  connectorSpec,
  startWorker,
  statusKey,
  statusOf,
  testProject,
} from '../helpers/worker.js';

const envelope = (line: string) => `{"schema":{"type":"string","optional":false},"payload":"${line}"}`;

async function sourceTo(topic: string, tolerance: 'none' | 'all' = 'none') {
  const project = await testProject();
  const file = join(project.dir, 'in', 'lines.txt');
  await mkdir(join(project.dir, 'in'), { recursive: true });
  await writeFile(file, '');
  const name = uniqueName('src');
  await applyConnector(
    project,
    connectorSpec({
      kind: 'source',
      name,
      connector: 'file',
      topic,
      config: { file },
      errors: { tolerance, retries: 0 },
    }),
  );
  return { project, file, name };
}

async function alterTopic(topic: string, config: Record<string, string>): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2,
          name: topic,
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

describe('faults: no silent stops', () => {
  it('a source writing to a missing topic is RETRYING with the reason, and delivers once the topic exists', async () => {
    const topic = uniqueName('missing');
    const { project, file, name } = await sourceTo(topic);
    const w = await startWorker(project);
    try {
      await appendFile(file, 'aaa\nbbb\n');
      const retrying = await w.taskState(name, 0, 'RETRYING');
      expect(retrying.trace).toContain(`topic ${topic} does not exist on the cluster`);
      await waitFor('RETRYING in the status topic', async () => {
        const s = await statusOf(project, statusKey.task(name, 0));
        return s?.state === 'RETRYING' && s.trace?.includes('does not exist');
      });

      await createTopic(topic, 1);
      const values = (await consume(topic, 2, 30_000)).map((m) => m.value?.toString());
      expect(values).toEqual([envelope('aaa'), envelope('bbb')]);
      await waitFor('RUNNING again after the retry', () => {
        const own = w.events.filter((e) => e.connector === name && e.task === 0);
        return own.at(-1)?.state === 'RUNNING';
      });
    } finally {
      await w.stop();
    }
  });

  it('a record over max.message.bytes fails the task with the sizes in words (errors.tolerance: none)', async () => {
    const topic = uniqueName('small');
    await createTopic(topic, 1, { 'max.message.bytes': '10000' });
    const { project, file, name } = await sourceTo(topic);
    const w = await startWorker(project);
    try {
      await appendFile(file, `ok\n${'x'.repeat(20_000)}\n`);
      const failed = await w.taskState(name, 0, 'FAILED');
      expect(failed.trace).toMatch(/record of 20,\d{3} bytes exceeds the topic's max\.message\.bytes 10,000/);
      const stored = await statusOf(project, statusKey.task(name, 0));
      expect(stored?.state).toBe('FAILED');
    } finally {
      await w.stop();
    }
  });

  it('with errors.tolerance: all the oversized record is skipped and counted, the others delivered', async () => {
    const topic = uniqueName('small');
    await createTopic(topic, 1, { 'max.message.bytes': '10000' });
    const { project, file, name } = await sourceTo(topic, 'all');
    const w = await startWorker(project);
    try {
      await appendFile(file, `before\n${'x'.repeat(20_000)}\nafter\n`);
      const values = (await consume(topic, 2)).map((m) => m.value?.toString());
      expect(values).toEqual([envelope('before'), envelope('after')]);
      const status = await waitFor('the skipped record counted in the status topic', async () => {
        const s = await statusOf(project, statusKey.task(name, 0));
        return s?.metrics?.recordsFailed === 1 ? s : undefined;
      });
      expect(status.state).toBe('RUNNING');
      expect(status.metrics?.lastError).toContain("exceeds the topic's max.message.bytes 10,000");
    } finally {
      await w.stop();
    }
  });

  it('a send the broker refuses fails the task at once, while the task waits for new lines', async () => {
    const topic = uniqueName('shrinking');
    await createTopic(topic, 1);
    const { project, file, name } = await sourceTo(topic);
    const w = await startWorker(project);
    try {
      await appendFile(file, 'first\n');
      await consume(topic, 1);
      // The worker read the topic's limit before this change: only the broker can refuse the next record now.
      await alterTopic(topic, { 'max.message.bytes': '2000' });
      // The broker applies the change a moment after the call returns: probe until it refuses.
      let accepted = 0;
      await waitFor('the broker to refuse a 5,000 byte record', async () => {
        try {
          await produce(topic, [{ value: 'p'.repeat(5000) }]);
          accepted++;
          return false;
        } catch {
          return true;
        }
      });
      await appendFile(file, `${'y'.repeat(5000)}\n`);
      const failed = await w.taskState(name, 0, 'FAILED');
      expect(failed.trace).toMatch(/producing 1 records failed: MESSAGE_TOO_LARGE: /);
      expect(await readTopicToEnd(kafka(), topic)).toHaveLength(1 + accepted);
    } finally {
      await w.stop();
    }
  });

  it('with errors.tolerance: all a record the broker refuses is skipped and counted, the others delivered', async () => {
    const topic = uniqueName('shrinking');
    await createTopic(topic, 1);
    const { project, file, name } = await sourceTo(topic, 'all');
    const w = await startWorker(project);
    try {
      await appendFile(file, 'first\n');
      await consume(topic, 1);
      // The worker read the topic's limit before this change: only the broker can refuse the big line.
      await alterTopic(topic, { 'max.message.bytes': '2000' });
      let accepted = 0;
      await waitFor('the broker to refuse a 5,000 byte record', async () => {
        try {
          await produce(topic, [{ value: 'p'.repeat(5000) }]);
          accepted++;
          return false;
        } catch {
          return true;
        }
      });
      // In one request: the broker refuses all of it, and the worker sends its lines again one by one.
      await appendFile(file, `before\n${'y'.repeat(5000)}\nafter\n`);
      const status = await waitFor('the refused record counted in the status topic', async () => {
        const s = await statusOf(project, statusKey.task(name, 0));
        return s?.metrics?.recordsFailed === 1 ? s : undefined;
      });
      expect(status.state).toBe('RUNNING');
      expect(status.metrics?.lastError).toMatch(
        /kafka produce failed: producing 1 records failed: MESSAGE_TOO_LARGE/,
      );
      const values = (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString());
      expect(values.slice(1 + accepted)).toEqual([envelope('before'), envelope('after')]);
      await appendFile(file, 'later\n');
      await waitFor('a line after the refusal delivered', async () =>
        (await readTopicToEnd(kafka(), topic)).some((r) => r.value?.toString() === envelope('later')),
      );
    } finally {
      await w.stop();
    }
  });
});
