/**
 * Issue 20 item 7, `worker.exactlyOnce: true`: each batch of records and its
 * source offsets are one transaction, so a `pipe run` killed with SIGKILL in
 * the middle of a 40,000-line burst leaves, for a read_committed consumer,
 * every line exactly once after a new worker (whose task fences the dead
 * one's transactional id) finishes the burst. `pipe run` (a child process) is killed with SIGKILL while the burst is
 * being produced; a new worker finishes it; every line is in the topic and
 * the lines sent twice are counted.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyProject } from '../../src/apply/index.js';
import { loadDesiredState } from '../../src/config/load.js';
import { readTopicToEnd } from '../../src/kafka/read-topic.js';
import { brokers, kafka, uniqueName, waitFor } from '../helpers/kafka.js';
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
    const dir = await mkdtemp(join(tmpdir(), 'pipe-eos-'));
    const topic = uniqueName('eos');
    await mkdir(join(dir, 'pipelines'));
    await mkdir(join(dir, 'data'));
    const input = join(dir, 'data', 'in.txt');
    await writeFile(input, '');
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      [
        'version: 1',
        `project: ${uniqueName('eos')}`,
        'kafka:',
        `  brokers: ${brokers()}`,
        'worker:',
        '  exactlyOnce: true',
        'defaults:',
        '  value: { converter: string }',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'pipelines', 'p.yaml'),
      [
        'pipeline: eos',
        'topics:',
        `  ${topic}: { partitions: 1, replicationFactor: 1 }`,
        'sources:',
        `  ${topic}-source: { connector: file, topic: ${topic}, config: { file: data/in.txt } }`,
        '',
      ].join('\n'),
    );
    const { desired } = await loadDesiredState(dir);
    await applyProject(desired, { autoApprove: true, wait: false });

    let output = '';
    const child = spawn(
      process.execPath,
      ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', 'run', '-C', dir, '--no-http'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const admin = kafka().admin();
    await admin.connect();
    const raw = await watchUncommitted(topic);
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      await waitFor('the worker active', () => /is active: running the connectors/.test(output), {
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
      child.kill('SIGKILL');
      await new Promise((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
      );
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
