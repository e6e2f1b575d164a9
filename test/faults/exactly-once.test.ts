import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../../src/kafka/read-topic.js';
import { fileSourceProject, spawnPipeRun } from '../helpers/file-source-project.js';
import { kafka, uniqueName, waitFor } from '../helpers/kafka.js';
import { killHard } from '../helpers/pipe-process.js';
import { startWorker } from '../helpers/worker.js';

const BURST = 40_000;

/**
 * A read_uncommitted consumer running beside the test: how many records it
 * saw (those of aborted transactions included) and the offset after the
 * last one, a transaction still open included.
 */
async function watchUncommitted(topic: string) {
  const seen = { count: 0, end: 0 };
  const consumer = kafka().consumer({
    groupId: uniqueName('eos-raw'),
    readUncommitted: true,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      seen.count += batch.messages.length;
      const last = batch.messages.at(-1);
      if (last) seen.end = Math.max(seen.end, Number(last.offset) + 1);
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}

describe('faults: exactly once after kill -9', () => {
  it('a worker killed in the middle of a burst leaves every line once for a read_committed consumer', async () => {
    const { dir, topic, input, desired } = await fileSourceProject('eos', ['exactlyOnce: true']);
    const { child, output } = spawnPipeRun(dir);
    const admin = kafka().admin();
    await admin.connect();
    const raw = await watchUncommitted(topic);
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      await waitFor('the worker active', () => /is active: running the connectors/.test(output()), {
        timeoutMs: 60_000,
      });
      const high = async () => Number((await admin.fetchTopicOffsets(topic))[0]?.high ?? 0);
      // A pipeline already running: its clients connected, its first offset stored.
      await appendFile(input, 'warm-up\n');
      // A transaction's commit marker takes an offset too.
      await waitFor('the warm-up line in the topic', async () => (await high()) >= 1);
      await appendFile(input, `${Array.from({ length: BURST }, (_, i) => `line-${i}`).join('\n')}\n`);
      await waitFor('the burst under way', async () => (await high()) >= BURST / 4, {
        timeoutMs: 60_000,
        intervalMs: 10,
      });
      // Frozen until it is caught with a transaction open whose records are already in the log (a record past
      // the last stable offset): the kill then always cuts a transaction short.
      const atKill = await waitFor(
        'the worker frozen inside a transaction',
        async () => {
          child.kill('SIGSTOP');
          // A commit already sent completes meanwhile; the reads after the pause see the settled log.
          await new Promise((resolve) => setTimeout(resolve, 300));
          const stable = await high();
          if (raw.seen.end > stable) return stable;
          child.kill('SIGCONT');
          return undefined;
        },
        { timeoutMs: 60_000, intervalMs: 5 },
      );
      await killHard(child);
      expect(atKill).toBeLessThan(BURST + 1);

      second = await startWorker(desired.project);
      // readTopicToEnd reads read_committed: records of the transaction the kill cut short are not there.
      const values = await waitFor(
        'every line of the burst in the topic',
        async () => {
          const got = (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '');
          return got.length >= BURST + 1 ? got : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      );
      expect(values.length).toBe(BURST + 1);
      expect(values).toEqual(['warm-up', ...Array.from({ length: BURST }, (_, i) => `line-${i}`)]);
      // What a read_uncommitted consumer sees: the aborted transaction's records, which the new worker sent again.
      await waitFor('the uncommitted read at the end', () => raw.seen.end >= BURST + 1);
      expect(raw.seen.count).toBeGreaterThan(BURST + 1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await admin.disconnect();
      await raw.stop();
      await second?.stop();
    }
  }, 240_000);
});
