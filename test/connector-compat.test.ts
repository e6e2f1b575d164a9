/**
 * pipe's file source and sink against Kafka Connect's FileStreamSource and
 * FileStreamSink (a real standalone worker from the same Maven jars, on the
 * same broker), fed the same file: the topics must hold the same bytes and
 * the sink files must be the same bytes.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startConnectStandalone } from '../src/kafka/local/connect.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { applySeedPipeline, startWorker, testProject } from './helpers/worker.js';

async function content(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

async function records(topic: string) {
  return (await readTopicToEnd(kafka(), topic)).map((r) => ({ key: r.key, value: r.value?.toString() }));
}

describe('compatibility with Kafka Connect’s FileStream connectors', () => {
  it('writes the same record bytes and the same sink file as Connect standalone for the seed sequence', async () => {
    const project = await testProject();
    const dir = join(project.dir, 'connectorfile');
    await mkdir(dir);
    const source = join(dir, 'test.txt');
    await writeFile(source, '');
    const connectTopic = uniqueName('connect-test-connect');
    const pipeTopic = uniqueName('connect-test-pipe');
    await createTopic(connectTopic, 1);
    await createTopic(pipeTopic, 1);
    const connectSink = join(dir, 'connect.sink.txt');
    const pipeSink = join(dir, 'pipe.sink.txt');

    const connect = await startConnectStandalone({
      brokers: brokers(),
      connectors: [
        {
          name: 'local-file-source',
          'connector.class': 'FileStreamSourceConnector',
          'tasks.max': '1',
          file: source,
          topic: connectTopic,
        },
        {
          name: 'local-file-sink',
          'connector.class': 'FileStreamSinkConnector',
          'tasks.max': '1',
          file: connectSink,
          topics: connectTopic,
        },
      ],
    });
    await applySeedPipeline(project, { topic: pipeTopic, source, sink: pipeSink });
    const w = await startWorker(project);
    try {
      for (const line of ['aaa', 'bbb', 'ccc']) await appendFile(source, `${line}\n`);
      const expected = 'aaa\nbbb\nccc\n';
      await waitFor('Connect’s sink file', async () => (await content(connectSink)) === expected, {
        timeoutMs: 60_000,
      });
      await waitFor('pipe’s sink file', async () => (await content(pipeSink)) === expected, {
        timeoutMs: 30_000,
      });

      const fromConnect = await records(connectTopic);
      const fromPipe = await records(pipeTopic);
      expect(fromConnect).toHaveLength(3);
      expect(fromPipe).toEqual(fromConnect);
      expect(fromPipe[0]).toEqual({
        key: null,
        value: '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
      });
      expect(Buffer.compare(await readFile(pipeSink), await readFile(connectSink))).toBe(0);
    } finally {
      await w.stop();
      await connect.stop();
    }
  }, 180_000);
});
