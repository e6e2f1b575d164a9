import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
