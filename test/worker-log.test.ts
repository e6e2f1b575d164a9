/**
 * `pipe up --log-format json` as a log shipper reads it: every line it prints,
 * from the apply to the clean stop, is one JSON object with the same fields.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokers, uniqueName, waitFor } from './helpers/kafka.js';
import { spawnPipe } from './helpers/pipe-process.js';

describe('pipe up --log-format json', () => {
  it('prints one JSON object a line, a task state naming its connector and task', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipe-log-'));
    const topic = uniqueName('log');
    await mkdir(join(dir, 'pipelines'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'in.txt'), 'a\nb\n');
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      ['version: 1', `project: ${uniqueName('log')}`, 'kafka:', `  brokers: ${brokers()}`, ''].join('\n'),
    );
    await writeFile(
      join(dir, 'pipelines', 'log.yaml'),
      [
        'pipeline: log-test',
        'topics:',
        `  ${topic}: { partitions: 1, replicationFactor: 1 }`,
        'sources:',
        `  ${topic}-source:`,
        '    connector: file',
        `    topic: ${topic}`,
        '    config: { file: data/in.txt }',
        '',
      ].join('\n'),
    );
    const pipe = spawnPipe(['-C', dir, 'up', '--no-http', '--log-format', 'json']);
    try {
      await waitFor(
        'the task RUNNING',
        async () => pipe.output().includes(`"message":"task ${topic}-source-0 RUNNING"`),
        { timeoutMs: 60_000 },
      );
      pipe.child.kill('SIGTERM');
      expect(await pipe.exited).toBe(0);
    } finally {
      pipe.child.kill('SIGKILL');
    }
    const lines = pipe
      .output()
      .split('\n')
      .filter((l) => l !== '');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of entries)
      expect(Object.keys(e)).toEqual(['time', 'level', 'connector', 'task', 'message', 'error_code']);
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'info', connector: `${topic}-source`, task: 0, error_code: null }),
    );
    expect(entries.at(-1)).toMatchObject({ level: 'info', message: 'stopped' });
  });
});
