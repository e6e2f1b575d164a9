/**
 * Issue 20 item 6: one active worker per project. A `pipe run` (a child
 * process, so it can be killed with SIGKILL) runs the project; a second
 * worker of the same project stands by, runs nothing while the first lives
 * (a burst of lines reaches the topic once, not twice), and takes over
 * after the first is killed: the lines written after the kill arrive, with
 * no more duplicates than the crash window, and the heartbeats say which
 * worker is active.
 */
import { appendFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { latestByKey, readTopicToEnd } from '../../src/kafka/read-topic.js';
import { offsetKey, stateTopicNames } from '../../src/state/records.js';
import type { WorkerRole } from '../../src/worker/worker.js';
import { fileSourceProject, spawnPipeRun } from '../helpers/file-source-project.js';
import { kafka, waitFor } from '../helpers/kafka.js';
import { killHard } from '../helpers/pipe-process.js';
import { startWorker, statusOf } from '../helpers/worker.js';

async function topicValues(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '');
}

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line-${from + i}`);

describe('faults: two workers on one project', () => {
  it('the second stands by, doubles nothing, and takes over when the first is killed', async () => {
    const { dir, topic, source, input, desired } = await fileSourceProject('standby', [
      'offsetFlushIntervalMs: 500',
    ]);
    const { child: first, output } = spawnPipeRun(dir);
    const roles: WorkerRole[] = [];
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      await waitFor('the first worker active', () => /is active: running the connectors/.test(output()), {
        timeoutMs: 60_000,
      });
      second = await startWorker(desired.project, { onRole: (role) => roles.push(role) });
      expect(second.worker.role).toBe('standby');

      await appendFile(input, `${lines(0, 20_000).join('\n')}\n`);
      await waitFor('the burst in the topic', async () => (await topicValues(topic)).length >= 20_000, {
        timeoutMs: 60_000,
      });
      const firstId = `${hostname()}:${first.pid}`;
      await waitFor('the heartbeats to name the active worker and the standby', async () => {
        const a = await statusOf(desired.project, `status-worker-${firstId}`);
        const b = await statusOf(desired.project, `status-worker-${second?.worker.id}`);
        return (
          (a as { role?: string } | undefined)?.role === 'active' &&
          (b as { role?: string } | undefined)?.role === 'standby'
        );
      });
      const size = (await stat(input)).size;
      const offsetKeyText = offsetKey(source, { filename: input }).toString('utf8');
      await waitFor('the first worker to store the burst’s offset', async () => {
        const stored = latestByKey(
          await readTopicToEnd(kafka(), stateTopicNames(desired.project.state.topicPrefix).offsets),
        ).get(offsetKeyText);
        return stored && JSON.parse(stored.toString('utf8')).position === size;
      });
      expect(second.events.filter((e) => e.connector === source)).toEqual([]);
      expect(await topicValues(topic)).toHaveLength(20_000);

      await killHard(first);
      await appendFile(input, `${lines(20_000, 21_000).join('\n')}\n`);
      await waitFor('the standby to take over', () => second?.worker.role === 'active', {
        timeoutMs: 30_000,
      });
      expect(roles).toEqual(['active']);
      const expected = new Set(lines(0, 21_000));
      const values = await waitFor(
        'every line in the topic after the takeover',
        async () => {
          const got = await topicValues(topic);
          return new Set(got).size === expected.size ? got : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect([...new Set(values)].every((v) => expected.has(v))).toBe(true);
      // The first worker had stored the offset of everything it sent: nothing comes twice.
      expect(values).toHaveLength(expected.size);
      await waitFor('the heartbeat of the new active worker', async () => {
        const b = await statusOf(desired.project, `status-worker-${second?.worker.id}`);
        return (b as { role?: string } | undefined)?.role === 'active';
      });

      await second.stop();
      // A worker that stops is gone, not standing by: no change of role, and its heartbeat is withdrawn.
      expect(roles).toEqual(['active']);
      const stoppedId = second.worker.id;
      await waitFor(
        'the stopped worker’s heartbeat withdrawn',
        async () => (await statusOf(desired.project, `status-worker-${stoppedId}`)) === undefined,
      );
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
      await second?.stop();
    }
  }, 240_000);
});
