/**
 * `pipe up --log-format json` as a log shipper reads it: every line it prints,
 * from the apply to the clean stop, is one JSON object with the same fields.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokers, uniqueName, waitFor } from './helpers/kafka.js';
import { spawnPipe } from './helpers/pipe-process.js';

describe('pipe up --log-format json', () => {
  it('reports a start that fails (a port in use) as one JSON entry with its code, and exits 1', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as AddressInfo).port;
    const dir = await mkdtemp(join(tmpdir(), 'pipe-log-port-'));
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      ['version: 1', `project: ${uniqueName('log')}`, 'kafka:', `  brokers: ${brokers()}`, ''].join('\n'),
    );
    try {
      const pipe = spawnPipe([
        '-C',
        dir,
        'run',
        '--http-listen',
        `127.0.0.1:${port}`,
        '--log-format',
        'json',
      ]);
      expect(await pipe.exited).toBe(1);
      const lines = pipe
        .output()
        .split('\n')
        .filter((l) => l !== '');
      expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
        expect.objectContaining({
          level: 'error',
          error_code: 'WORKER',
          message: expect.stringContaining(`port ${port} on 127.0.0.1 is in use (set by --http-listen)`),
        }),
      ]);
    } finally {
      holder.close();
    }
  });

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
