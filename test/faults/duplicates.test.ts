/**
 * Issue 20 item 7: source offsets are stored after every acknowledged batch
 * and the next batch waits for that write, so a kill -9 in the middle of a
 * 40,000-line burst re-sends at most one request: 1% of the burst. `pipe run` (a child process) is killed with SIGKILL while the burst is
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

describe('faults: duplicates after kill -9', () => {
  it('a worker killed in the middle of a burst re-sends only what its offsets had not caught up with', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipe-dups-'));
    const topic = uniqueName('dups');
    await mkdir(join(dir, 'pipelines'));
    await mkdir(join(dir, 'data'));
    const input = join(dir, 'data', 'in.txt');
    await writeFile(input, '');
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      [
        'version: 1',
        `project: ${uniqueName('dups')}`,
        'kafka:',
        `  brokers: ${brokers()}`,
        'defaults:',
        '  value: { converter: string }',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'pipelines', 'p.yaml'),
      [
        'pipeline: dups',
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
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      await waitFor('the worker active', () => /is active: running the connectors/.test(output), {
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
      child.kill('SIGKILL');
      await new Promise((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
      );
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
      // What may come twice: one request (400 records at most), whose records were on the topic before their
      // offsets were stored; the next request waits for that write. Flushing on an interval re-sent half the
      // burst (20,006 lines in issue 20); storing after each request without that wait, 2,000 to 8,000.
      const duplicates = values.length - BURST - 1;
      expect(duplicates).toBeLessThanOrEqual(BURST / 100);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await admin.disconnect();
      await second?.stop();
    }
  }, 240_000);
});
