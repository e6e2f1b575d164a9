/**
 * The worker as users run it, in its own process (`pipe run` from the
 * sources): killed with SIGKILL in the middle of a 100,000-line file, then
 * restarted; and stopped with SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { spawnPipeRun } from './helpers/file-source-project.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { applyConnector, connectorSpec, testProject } from './helpers/worker.js';

const LINES = 100_000;
const line = (i: number) => `line-${String(i).padStart(6, '0')}`;
const LINE_BYTES = line(0).length + 1;

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function topicCount(topic: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

async function sinkLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('worker process', () => {
  it('after kill -9 mid-run and a restart, every line reaches the sink; duplicates are only the records after the stored offset', async () => {
    const project = await testProject({ offsetFlushIntervalMs: 200 });
    await writeFile(
      join(project.dir, 'pipeline.config.yaml'),
      [
        'version: 1',
        `project: ${project.name}`,
        'kafka:',
        `  brokers: ${brokers()}`,
        'state:',
        `  topicPrefix: ${project.state.topicPrefix}`,
        '  replicationFactor: 1',
        'worker:',
        '  offsetFlushIntervalMs: 200',
        '',
      ].join('\n'),
    );
    const topic = uniqueName('lines');
    await createTopic(topic, 1);
    const source = join(project.dir, 'data', 'in.txt');
    const sink = join(project.dir, 'data', 'out.txt');
    await mkdir(join(project.dir, 'data'));
    await writeFile(source, `${Array.from({ length: LINES }, (_, i) => line(i)).join('\n')}\n`);
    const sourceName = uniqueName('src');
    const string = { type: 'string', schemas: false, decimalFormat: 'BASE64' } as const;
    await applyConnector(
      project,
      connectorSpec({
        kind: 'source',
        name: sourceName,
        connector: 'file',
        topic,
        config: { file: source },
        value: string,
      }),
    );
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name: uniqueName('sink'),
        connector: 'file',
        topics: [topic],
        config: { file: sink },
        value: string,
      }),
    );

    const first = spawnPipeRun(project.dir);
    await waitFor('the first worker to be half-way', async () => (await topicCount(topic)) >= 50_000, {
      timeoutMs: 60_000,
    });
    first.child.kill('SIGKILL');
    await exited(first.child);
    const beforeRestart = await topicCount(topic);
    const offsets = latestByKey(
      await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).offsets),
    );
    const stored = offsets.get(`["${sourceName}",{"filename":"${source}"}]`);
    const committedLines = stored ? JSON.parse(stored.toString()).position / LINE_BYTES : 0;
    expect(beforeRestart).toBeLessThan(LINES);
    // Offsets were flushed before the kill: the restart resumes in the middle, not from the start.
    expect(committedLines).toBeGreaterThan(0);

    const second = spawnPipeRun(project.dir);
    try {
      const unacknowledged = beforeRestart - committedLines;
      await waitFor(
        'every line in the topic',
        async () => (await topicCount(topic)) >= LINES + unacknowledged,
        {
          timeoutMs: 90_000,
        },
      );
      await waitFor('every line in the sink', async () => new Set(await sinkLines(sink)).size === LINES, {
        timeoutMs: 90_000,
        intervalMs: 500,
      });
      const inTopic = await topicCount(topic);
      const inSink = await sinkLines(sink);
      // The figures go with a failure only: tests print nothing but the runner's report.
      const figures =
        `kill -9 at ${beforeRestart} records; stored offset after ${committedLines} lines; ` +
        `source duplicates ${inTopic - LINES}; sink lines ${inSink.length} (duplicates beyond the topic's: ${inSink.length - inTopic})`;
      // Records after the stored offset are sent again, and nothing else is.
      expect(inTopic - LINES, figures).toBe(unacknowledged);
      expect(new Set(inSink)).toEqual(new Set(Array.from({ length: LINES }, (_, i) => line(i))));
    } finally {
      second.child.kill('SIGTERM');
      const code = await exited(second.child);
      expect(code, second.output()).toBe(0);
      expect(second.output()).toMatch(/SIGTERM: stopping[\s\S]*stopped/);
    }
  }, 240_000);
});
