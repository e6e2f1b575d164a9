/**
 * `pipe up` as a user runs it: apply, run, and re-apply on every edit of
 * the project; an invalid edit keeps the pipelines running; `state: paused`
 * pauses without losing the place; SIGTERM stops cleanly with exit 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { brokers, kafka, uniqueName, waitFor } from './helpers/kafka.js';

async function lines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

function pipeline(topic: string, options: { sourceState?: string; secondSink?: boolean } = {}): string {
  return [
    'pipeline: up-test',
    'topics:',
    `  ${topic}:`,
    '    partitions: 1',
    '    replicationFactor: 1',
    'sources:',
    `  ${topic}-source:`,
    '    connector: file',
    `    topic: ${topic}`,
    '    config: { file: data/in.txt }',
    ...(options.sourceState ? [`    state: ${options.sourceState}`] : []),
    'sinks:',
    `  ${topic}-sink:`,
    '    connector: file',
    `    topics: [${topic}]`,
    '    config: { file: data/out.txt }',
    ...(options.secondSink
      ? [
          `  ${topic}-copy:`,
          '    connector: file',
          `    topics: [${topic}]`,
          '    config: { file: data/copy.txt }',
        ]
      : []),
    '',
  ].join('\n');
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('pipe up', () => {
  it('re-applies edits, survives an invalid one, pauses without losing its place, and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipe-up-'));
    const topic = uniqueName('up');
    const pipelineFile = join(dir, 'pipelines', 'up.yaml');
    await mkdir(join(dir, 'pipelines'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'in.txt'), '');
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      [
        'version: 1',
        `project: ${uniqueName('up')}`,
        'kafka:',
        `  brokers: ${brokers()}`,
        'worker:',
        '  offsetFlushIntervalMs: 500',
        'defaults:',
        '  value: { converter: string }',
        '',
      ].join('\n'),
    );
    await writeFile(pipelineFile, pipeline(topic));

    let output = '';
    const child = spawn(
      process.execPath,
      [
        'node_modules/vite-node/vite-node.mjs',
        'src/cli/main.ts',
        '--',
        'up',
        '-C',
        dir,
        '--http-listen',
        '127.0.0.1:0',
      ],
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
    const seen = (pattern: RegExp) =>
      waitFor(`${pattern} in the output of pipe up`, () => pattern.test(output), { timeoutMs: 30_000 });
    try {
      await seen(/watching pipeline\.config\.yaml/);
      const http = /HTTP server on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect((await fetch(`${http}/health`)).status).toBe(200);
      await appendFile(join(dir, 'data', 'in.txt'), 'one\n');
      await waitFor('one in the sink', async () =>
        (await lines(join(dir, 'data', 'out.txt'))).includes('one'),
      );

      await writeFile(pipelineFile, pipeline(topic, { secondSink: true }));
      await waitFor(
        'the added sink to copy the topic',
        async () => (await lines(join(dir, 'data', 'copy.txt'))).includes('one'),
        {
          timeoutMs: 15_000,
        },
      );

      await writeFile(pipelineFile, `${pipeline(topic, { secondSink: true })}  bogus: [\n`);
      await seen(/invalid; the running pipelines keep running/);
      await appendFile(join(dir, 'data', 'in.txt'), 'two\n');
      await waitFor('two in the sink despite the invalid edit', async () =>
        (await lines(join(dir, 'data', 'out.txt'))).includes('two'),
      );

      await writeFile(pipelineFile, pipeline(topic, { secondSink: true, sourceState: 'paused' }));
      await seen(new RegExp(`task ${topic}-source-0 PAUSED`));
      await appendFile(join(dir, 'data', 'in.txt'), 'three\n');
      // A line appended while paused is read once the source resumes, from where it stopped.
      await writeFile(pipelineFile, pipeline(topic, { secondSink: true, sourceState: 'running' }));
      await waitFor(
        'three after resume',
        async () => (await lines(join(dir, 'data', 'out.txt'))).includes('three'),
        {
          timeoutMs: 15_000,
        },
      );
      const values = (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString());
      expect(values).toEqual(['one', 'two', 'three']);
    } finally {
      child.kill('SIGTERM');
      const code = await exited(child);
      expect(code, output).toBe(0);
    }
  }, 120_000);
});
