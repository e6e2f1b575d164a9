import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../../src/kafka/read-topic.js';
import { fileSourceProject, spawnPipeRun } from '../helpers/file-source-project.js';
import { kafka, waitFor } from '../helpers/kafka.js';
import { killHard } from '../helpers/pipe-process.js';
import { startWorker } from '../helpers/worker.js';

const BURST = 40_000;

/**
 * Kills `pipe run` a quarter into a burst of BURST lines, lets a new worker
 * finish from the stored offsets and returns how many lines came twice.
 */
async function duplicatesAfterKill(name: string, worker: string[] = []): Promise<number> {
  const { dir, topic, input, desired } = await fileSourceProject(name, worker);
  const { child, output } = spawnPipeRun(dir);
  const admin = kafka().admin();
  await admin.connect();
  let second: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    await waitFor('the worker active', () => /is active: running the connectors/.test(output()), {
      timeoutMs: 60_000,
    });
    const high = async () => Number((await admin.fetchTopicOffsets(topic))[0]?.high ?? 0);
    // A pipeline already running: its clients connected, its first offset stored.
    await appendFile(input, 'warm-up\n');
    await waitFor('the warm-up line in the topic', async () => (await high()) === 1);
    await appendFile(input, `${Array.from({ length: BURST }, (_, i) => `line-${i}`).join('\n')}\n`);
    const atKill = await waitFor(
      'the burst under way',
      async () => {
        const n = await high();
        return n >= BURST / 4 ? n : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    await killHard(child);
    expect(atKill).toBeLessThan(BURST + 1);

    second = await startWorker(desired.project);
    const values = await waitFor(
      'every line of the burst in the topic',
      async () => {
        const got = (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '');
        return new Set(got).size === BURST + 1 ? got : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    return values.length - BURST - 1;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await admin.disconnect();
    await second?.stop();
  }
}

describe('faults: duplicates after kill -9', () => {
  it('a worker killed in the middle of a burst re-sends only what its offsets had not caught up with', async () => {
    // What may come twice: one request (400 records at most), whose records were on the topic before their
    // offsets were stored; the next request waits for that write, or carries those offsets itself (the broker
    // appends all of a produce request it received, or none of it). Flushing on an interval re-sent half the
    // burst (20,006 lines in issue 20); storing after each request without that wait, 2,000 to 8,000.
    expect(await duplicatesAfterKill('dups')).toBeLessThanOrEqual(BURST / 100);
  }, 240_000);

  it('with the offset file, re-sends at most one request too', async () => {
    // A request's offsets are in the file (written on the event loop, renamed over the old one) before the next
    // request goes: only the last request sent may be on the topic with its offsets not in the file yet.
    expect(await duplicatesAfterKill('dups-file', ['offsetStorage: file'])).toBeLessThanOrEqual(BURST / 100);
  }, 240_000);
});
