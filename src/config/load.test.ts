import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PipeError } from '../errors.js';
import { loadDesiredState, loadProject } from './load.js';

const exampleProject = fileURLToPath(new URL('../../', import.meta.url));

describe('loading the example project', () => {
  it('resolves it into the desired state of the seed demo', async () => {
    const { desired, diagnostics } = await loadProject(exampleProject, {
      env: { KAFKA_BROKERS: 'a:9092, b:9092' },
    });
    expect(diagnostics).toEqual([]);
    expect(desired?.project).toMatchObject({
      name: 'demo',
      dir: exampleProject.replace(/\/$/, ''),
      kafka: {
        brokers: ['a:9092', 'b:9092'],
        clientId: 'pipe',
        connectionTimeoutMs: 3000,
        requestTimeoutMs: 30000,
      },
      state: { topicPrefix: 'pipe-demo', replicationFactor: 1 },
      worker: { offsetStorage: 'kafka', offsetFlushIntervalMs: 10000 },
      sensitive: ['kafka.brokers'],
    });
    expect(desired?.topics).toEqual([
      {
        name: 'connect-test',
        partitions: 3,
        replicationFactor: 1,
        config: { 'retention.ms': '604800000' },
        protect: false,
        labels: {},
        origin: { file: 'pipelines/file-demo.yaml', line: 4, column: 3 },
      },
    ]);
    const [source, sink] = desired?.connectors ?? [];
    expect(source).toMatchObject({
      kind: 'source',
      name: 'local-file-source',
      connector: 'file',
      tasks: 1,
      topic: 'connect-test',
      config: {
        file: '/tmp/connectorfile/test.txt',
        batchSize: 2000,
        onTruncate: 'restart',
        pollIntervalMs: 250,
      },
      value: { type: 'json', schemas: true, decimalFormat: 'BASE64' },
      key: { type: 'json', schemas: true, decimalFormat: 'BASE64' },
      header: { type: 'string', schemas: false, decimalFormat: 'BASE64' },
      errors: { tolerance: 'none', retries: 0 },
      state: 'running',
      sensitive: [],
    });
    expect(sink).toMatchObject({
      kind: 'sink',
      name: 'local-file-sink',
      topics: ['connect-test'],
      config: { file: '/tmp/connectorfile/test.sink.txt' },
    });
  });

  it('uses the broker default when KAFKA_BROKERS is not set', async () => {
    const { desired } = await loadProject(exampleProject, { env: {} });
    expect(desired?.project.kafka.brokers).toEqual(['127.0.0.1:9092']);
  });
});

describe('loadDesiredState', () => {
  it('throws CONFIG_INVALID carrying the diagnostics when the project is invalid', async () => {
    const error = await loadDesiredState('/nonexistent/project', { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipeError);
    expect((error as PipeError).code).toBe('CONFIG_INVALID');
    expect((error as PipeError).meta['diagnostics']).toEqual([
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    ]);
  });
});

describe('a project with files that are not config files', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function project(pipelines: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'pipe-hostile-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'pipeline.config.yaml'), 'project: shop\nkafka:\n  brokers: [a:9092]\n');
    for (const [name, text] of Object.entries(pipelines)) writeFileSync(join(dir, 'pipelines', name), text);
    return dir;
  }
  const summaries = async (dir: string) =>
    (await loadProject(dir, { env: {} })).diagnostics.map((d) => [d.code, d.source?.file, d.summary]);

  it('reports a folder named like a pipeline file instead of leaving it out', async () => {
    const dir = project({ 'a.yaml': 'pipeline: a\n' });
    mkdirSync(join(dir, 'pipelines', 'b.yaml'));
    expect(await summaries(dir)).toEqual([
      ['CONFIG_UNREADABLE', 'pipelines/b.yaml', 'pipelines/b.yaml is a folder, not a file'],
    ]);
  });

  it('reports pipeline.config.yaml being a folder, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipe-hostile-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'pipeline.config.yaml'));
    expect(await summaries(dir)).toEqual([
      ['CONFIG_UNREADABLE', 'pipeline.config.yaml', 'pipeline.config.yaml is a folder, not a file'],
    ]);
  });

  it('reports pipelines being a file rather than a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipe-hostile-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'pipeline.config.yaml'), 'project: shop\nkafka:\n  brokers: [a:9092]\n');
    writeFileSync(join(dir, 'pipelines'), '');
    expect(await summaries(dir)).toEqual([
      ['CONFIG_UNREADABLE', 'pipelines', expect.stringContaining('pipelines is a file, not a folder')],
    ]);
  });

  it('reports a symbolic link to nothing named like a pipeline file', async () => {
    const dir = project({});
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'pipelines', 'gone.yaml'));
    expect(await summaries(dir)).toEqual([
      ['CONFIG_UNREADABLE', 'pipelines/gone.yaml', expect.stringContaining('does not exist')],
    ]);
  });

  it('refuses a ${file:…} reference to a named pipe without waiting for a writer', {
    timeout: 10_000,
  }, async () => {
    const dir = project({});
    execFileSync('mkfifo', [join(dir, 'secret')]);
    writeFileSync(
      join(dir, 'pipeline.config.yaml'),
      'project: shop\nkafka:\n  brokers: [a:9092]\n  sasl: { mechanism: plain, username: u, password: "${file:secret}" }\n',
    );
    expect(await summaries(dir)).toEqual([
      [
        'CONFIG_INTERPOLATION',
        'pipeline.config.yaml',
        expect.stringContaining('cannot read secret: is a named pipe (FIFO), not a file'),
      ],
    ]);
  });
});
