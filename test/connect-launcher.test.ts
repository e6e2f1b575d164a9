import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProducerPerfSummary, runProducerPerformance } from '../bench/producer-performance.js';
import {
  type ConnectWorker,
  connectorStatus,
  putConnector,
  startConnectDistributed,
  startConnectStandalone,
  toProperties,
  waitForConnectorRunning,
} from '../src/kafka/local/connect.js';
import { brokers, consume, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-connect-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function highWatermark(topic: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('toProperties', () => {
  it('escapes what Java Properties.load would otherwise read differently', () => {
    expect(toProperties({ 'a b': 'x=y:z', c: ' lead\\back\né' })).toBe(
      'a\\ b=x\\=y\\:z\nc=\\ lead\\\\back\\n\\u00e9\n',
    );
  });
});

describe('Kafka Connect standalone', () => {
  let worker: ConnectWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
  });

  it('FileStreamSource writes JsonConverter envelopes with schemas', async () => {
    const topic = uniqueName('connect-src');
    await createTopic(topic);
    const file = join(dir, 'source.txt');
    await writeFile(file, 'aaa\nbbb\n');
    worker = await startConnectStandalone({
      brokers: brokers(),
      connectors: [
        { name: 'local-file-source', 'connector.class': 'FileStreamSourceConnector', file, topic },
      ],
    });
    expect(worker.restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitForConnectorRunning(worker.restUrl, 'local-file-source');
    const records = await consume(topic, 2, 30000);
    expect(records.map((r) => r.value?.toString())).toEqual([
      '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
      '{"schema":{"type":"string","optional":false},"payload":"bbb"}',
    ]);
    expect(records.every((r) => r.key === null)).toBe(true);
  }, 120_000);
});

describe('Kafka Connect distributed', () => {
  it('runs a connector added through the REST API', async () => {
    const topic = uniqueName('connect-dist');
    await createTopic(topic);
    const file = join(dir, 'dist-source.txt');
    await writeFile(file, 'aaa\n');
    const worker = await startConnectDistributed({
      brokers: brokers(),
      clusterName: uniqueName('pipe-dist'),
    });
    try {
      await putConnector(worker.restUrl, 'dist-source', {
        'connector.class': 'FileStreamSourceConnector',
        'tasks.max': '1',
        file,
        topic,
      });
      await waitForConnectorRunning(worker.restUrl, 'dist-source');
      expect((await connectorStatus(worker.restUrl, 'dist-source')).type).toBe('source');
      await waitFor('the record on the topic', async () => (await highWatermark(topic)) === 1, {
        timeoutMs: 30000,
      });
    } finally {
      await worker.stop();
    }
  }, 180_000);
});

describe('ProducerPerformance', () => {
  it('parses the final summary line, not the progress lines', () => {
    const out = [
      '284351 records sent, 56870.2 records/sec (5.42 MB/sec), 4.3 ms avg latency, 211.0 ms max latency.',
      '500000 records sent, 99108.0 records/sec (9.45 MB/sec), 3.12 ms avg latency, 211.00 ms max latency, 2 ms 50th, 8 ms 95th, 15 ms 99th, 190 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerfSummary(out)).toEqual({
      records: 500000,
      recordsPerSec: 99108,
      mbPerSec: 9.45,
      avgLatencyMs: 3.12,
      maxLatencyMs: 211,
      p50Ms: 2,
      p95Ms: 8,
      p99Ms: 15,
      p999Ms: 190,
    });
    expect(parseProducerPerfSummary(out.split('\n')[0]!)).toBeUndefined();
  });

  it('reports a positive rate and puts every record on the topic', async () => {
    const topic = uniqueName('producer-perf');
    await createTopic(topic);
    const summary = await runProducerPerformance({
      brokers: brokers(),
      topic,
      numRecords: 20000,
      recordSize: 100,
    });
    expect(summary.records).toBe(20000);
    expect(summary.recordsPerSec).toBeGreaterThan(0);
    expect(await highWatermark(topic)).toBe(20000);
  }, 120_000);
});
