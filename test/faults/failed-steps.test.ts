/**
 * Issue 20 item 4: one failed step must not stop the worker from
 * reconciling, nor end `pipe up`. The herder's step is broken on purpose
 * (the offsets file replaced by a folder, so deleting a connector cannot drop
 * its offsets), and so is the project `pipe up` watches (its config file
 * replaced by a folder in the middle of an edit).
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offsetKey } from '../../src/state/records.js';
import { brokers, consume, createTopic, uniqueName, waitFor } from '../helpers/kafka.js';
import {
  applyConnector,
  connectorSpec,
  deleteConnector,
  startWorker,
  testProject,
} from '../helpers/worker.js';

async function text(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

describe('faults: a failed step is reported and the loop goes on', () => {
  it('the herder keeps reconciling after a step fails (offsets that cannot be dropped)', async () => {
    const project = await testProject({ offsetStorage: 'file', offsetFile: 'state/offsets.json' });
    const offsetFile = join(project.dir, 'state', 'offsets.json');
    const topic = uniqueName('steps');
    await createTopic(topic, 1);
    const input = join(project.dir, 'in.txt');
    await writeFile(input, '');
    const first = uniqueName('first');
    const second = uniqueName('second');
    const source = (name: string) =>
      connectorSpec({ kind: 'source', name, connector: 'file', topic, config: { file: input } });
    await applyConnector(project, source(first));
    const w = await startWorker(project);
    try {
      await w.taskState(first, 0, 'RUNNING');
      await appendFile(input, 'one\n');
      const key = offsetKey(first, { filename: input }).toString('utf8');
      await waitFor('the first source’s offset in the file', async () =>
        (await text(offsetFile)).includes(JSON.stringify(key).slice(1, -1)),
      );

      // Every later write of the offsets file fails: a folder cannot be renamed over.
      await rm(offsetFile);
      await mkdir(join(offsetFile, 'blocker'), { recursive: true });
      await deleteConnector(project, first);
      await waitFor('the failed step reported', () =>
        w.logs.find((l) => l.includes(`${first}: delete failed`)),
      );

      await applyConnector(project, source(second));
      await w.taskState(second, 0, 'RUNNING');
      await appendFile(input, 'two\n');
      const values = (await consume(topic, 3)).map((m) => m.value?.toString());
      expect(values.filter((v) => v?.includes('"two"'))).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });

  it('pipe up survives a file-system error during an edit and applies the next good edit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipe-up-fault-'));
    const topic = uniqueName('upfault');
    const configFile = join(dir, 'pipeline.config.yaml');
    const config = [
      'version: 1',
      `project: ${uniqueName('upfault')}`,
      'kafka:',
      `  brokers: ${brokers()}`,
      'defaults:',
      '  value: { converter: string }',
      '',
    ].join('\n');
    const pipeline = (sinks: string[]) =>
      [
        'pipeline: up-fault',
        'topics:',
        `  ${topic}: { partitions: 1, replicationFactor: 1 }`,
        'sources:',
        `  ${topic}-source: { connector: file, topic: ${topic}, config: { file: data/in.txt } }`,
        'sinks:',
        ...sinks.map(
          (s) => `  ${topic}-${s}: { connector: file, topics: [${topic}], config: { file: data/${s}.txt } }`,
        ),
        '',
      ].join('\n');
    await mkdir(join(dir, 'pipelines'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'in.txt'), '');
    await writeFile(configFile, config);
    await writeFile(join(dir, 'pipelines', 'p.yaml'), pipeline(['out']));

    let output = '';
    const child = spawn(
      process.execPath,
      ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', 'up', '-C', dir, '--no-http'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    let exitCode: number | null = null;
    child.once('exit', (code) => {
      exitCode = code;
    });
    const seen = (pattern: RegExp) =>
      waitFor(`${pattern} in the output of pipe up`, () => pattern.test(output), { timeoutMs: 30_000 });
    try {
      await seen(/watching pipeline\.config\.yaml/);
      await appendFile(join(dir, 'data', 'in.txt'), 'one\n');
      await waitFor('one in the sink', async () =>
        (await text(join(dir, 'data', 'out.txt'))).includes('one'),
      );

      await rm(configFile);
      await mkdir(configFile);
      await seen(/running pipelines keep running/);
      expect(exitCode).toBeNull();

      await rm(configFile, { recursive: true });
      await writeFile(configFile, config);
      await writeFile(join(dir, 'pipelines', 'p.yaml'), pipeline(['out', 'copy']));
      await waitFor(
        'the sink added after the fault copies the topic',
        async () => (await text(join(dir, 'data', 'copy.txt'))).includes('one'),
        { timeoutMs: 30_000 },
      );
      await appendFile(join(dir, 'data', 'in.txt'), 'two\n');
      await waitFor('two in the first sink', async () =>
        (await text(join(dir, 'data', 'out.txt'))).includes('two'),
      );
      expect(exitCode, output).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
    expect(exitCode, output).toBe(0);
  }, 120_000);
});
