/**
 * Issue 20 item 3: partitions added by `pipe apply` while a sink runs are
 * read within seconds, and `pipe status` counts as lag the partitions its
 * group has not read yet (a partition with no committed offset lags by its
 * whole log).
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyProject } from '../../src/apply/index.js';
import { loadDesiredState } from '../../src/config/load.js';
import { readProjectStatus } from '../../src/runtime/project-status.js';
import { brokers, produce, uniqueName, waitFor } from '../helpers/kafka.js';
import { startWorker } from '../helpers/worker.js';

async function lines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('faults: partitions added while a sink runs', () => {
  it('are read within seconds, and counted as lag until they are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipe-grow-'));
    await mkdir(join(dir, 'pipelines'));
    const topic = uniqueName('grow');
    const sink = `${topic}-sink`;
    const output = join(dir, 'out.txt');
    await writeFile(output, '');
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      [
        'version: 1',
        `project: ${uniqueName('grow')}`,
        'kafka:',
        `  brokers: ${brokers()}`,
        'defaults:',
        '  value: { converter: string }',
        '',
      ].join('\n'),
    );
    const pipeline = (partitions: number) =>
      writeFile(
        join(dir, 'pipelines', 'p.yaml'),
        [
          'pipeline: grow',
          'topics:',
          `  ${topic}: { partitions: ${partitions}, replicationFactor: 1 }`,
          'sinks:',
          `  ${sink}: { connector: file, topics: [${topic}], config: { file: out.txt } }`,
          '',
        ].join('\n'),
      );
    const apply = async () => {
      const { desired } = await loadDesiredState(dir);
      await applyProject(desired, { autoApprove: true, wait: false });
      return desired.project;
    };
    await pipeline(1);
    const project = await apply();
    const lag = async () => (await readProjectStatus(project)).connectors.find((c) => c.name === sink)?.lag;

    const w = await startWorker(project);
    try {
      await w.taskState(sink, 0, 'RUNNING');
      await produce(topic, [{ value: 'in-partition-0', partition: 0 }]);
      await waitFor('the first record in the sink', async () =>
        (await lines(output)).includes('in-partition-0'),
      );

      await pipeline(3);
      await apply();
      await produce(topic, [{ value: 'in-partition-2', partition: 2 }]);
      // kafkajs's default metadata age left a new partition unread for five minutes.
      await waitFor(
        'the record of the new partition in the sink',
        async () => (await lines(output)).includes('in-partition-2'),
        { timeoutMs: 30_000 },
      );
      expect(await lines(output)).toEqual(['in-partition-0', 'in-partition-2']);
      await waitFor('no lag once the sink committed', async () => (await lag()) === 0, { timeoutMs: 30_000 });
    } finally {
      await w.stop();
    }

    // With the sink stopped: partition 1 was never read (no committed offset), so its whole log is lag.
    await produce(topic, [
      { value: 'late-1', partition: 1 },
      { value: 'late-2', partition: 1 },
      { value: 'late-0', partition: 0 },
    ]);
    expect(await lag()).toBe(3);

    const again = await startWorker(project);
    try {
      await waitFor('the late records in the sink', async () => (await lines(output)).length === 5, {
        timeoutMs: 30_000,
      });
      expect((await lines(output)).slice(2).sort()).toEqual(['late-0', 'late-1', 'late-2']);
      await waitFor('no lag once they are read', async () => (await lag()) === 0, { timeoutMs: 30_000 });
    } finally {
      await again.stop();
    }
  }, 150_000);
});
