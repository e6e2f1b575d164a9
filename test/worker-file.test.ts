import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { consume, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import {
  applyConnector,
  applySeedPipeline,
  connectorSpec,
  startWorker,
  testProject,
} from './helpers/worker.js';

async function fileContent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

const envelope = (line: string) => `{"schema":{"type":"string","optional":false},"payload":"${line}"}`;

/** Every record of a topic, values as text, in partition then offset order. */
async function topicValues(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '<null>');
}

async function fileSourceSetup(worker: Parameters<typeof testProject>[0] = {}) {
  const project = await testProject(worker);
  const topic = uniqueName('connect-test');
  await createTopic(topic, 1);
  const file = join(project.dir, 'in', 'test.txt');
  const name = uniqueName('local-file-source');
  await applyConnector(
    project,
    connectorSpec({ kind: 'source', name, connector: 'file', topic, config: { file } }),
  );
  return { project, topic, file, name };
}

describe('worker: file source → topic → file sink', () => {
  it('runs the seed demo: aaa, bbb, ccc reach the topic as Connect’s JSON and the sink file as lines', async () => {
    const project = await testProject();
    const topic = uniqueName('connect-test');
    await createTopic(topic, 3);
    const source = join(project.dir, 'connectorfile', 'test.txt');
    const sink = join(project.dir, 'connectorfile', 'sink', 'test.sink.txt');
    await applySeedPipeline(project, { topic, source, sink });
    const w = await startWorker(project);
    try {
      await mkdir(join(project.dir, 'connectorfile'), { recursive: true });
      await writeFile(source, '');
      for (const line of ['aaa', 'bbb', 'ccc']) await appendFile(source, `${line}\n`);

      const messages = await consume(topic, 3);
      expect(messages.map((m) => m.key)).toEqual([null, null, null]);
      expect(messages.map((m) => m.value?.toString()).sort()).toEqual(['aaa', 'bbb', 'ccc'].map(envelope));
      expect(messages.every((m) => Object.keys(m.headers).length === 0)).toBe(true);
      await waitFor(
        'three lines in the sink file',
        async () => (await fileContent(sink)).split('\n').length === 4,
      );
      expect((await fileContent(sink)).split('\n').sort()).toEqual(['', 'aaa', 'bbb', 'ccc']);
    } finally {
      await w.stop();
    }
  });

  it('stores the offset under Connect’s key and value bytes in the offsets topic', async () => {
    const { project, file, name, topic } = await fileSourceSetup();
    await mkdir(join(project.dir, 'in'), { recursive: true });
    await writeFile(file, 'aaa\nbbb\nccc\n');
    const w = await startWorker(project);
    await waitFor('three records', async () => (await topicValues(topic)).length === 3);
    await w.stop();
    const offsets = latestByKey(
      await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).offsets),
    );
    expect([...offsets].map(([k, v]) => [k, v.toString()])).toEqual([
      [`["${name}",{"filename":"${file}"}]`, '{"position":12}'],
    ]);
  });

  it('resumes after a clean restart without duplicates', async () => {
    const { project, file, topic } = await fileSourceSetup();
    await mkdir(join(project.dir, 'in'), { recursive: true });
    await writeFile(file, 'a1\na2\n');
    const first = await startWorker(project);
    await waitFor('two records', async () => (await topicValues(topic)).length === 2);
    await first.stop();
    await appendFile(file, 'a3\n');
    const second = await startWorker(project);
    try {
      await waitFor('three records', async () => (await topicValues(topic)).length >= 3);
      await appendFile(file, 'a4\n');
      await waitFor('four records', async () => (await topicValues(topic)).length >= 4);
      expect(await topicValues(topic)).toEqual(['a1', 'a2', 'a3', 'a4'].map(envelope));
    } finally {
      await second.stop();
    }
  });

  it('delivers the new lines of a truncated and rewritten file, and no empty record', async () => {
    const { project, file, topic } = await fileSourceSetup();
    await mkdir(join(project.dir, 'in'), { recursive: true });
    await writeFile(file, 'first-1\nfirst-2\nfirst-3\n');
    const w = await startWorker(project);
    try {
      await waitFor('three records', async () => (await topicValues(topic)).length === 3);
      await writeFile(file, 'second-1\nsecond-2\n');
      await waitFor('five records', async () => (await topicValues(topic)).length >= 5);
      expect(await topicValues(topic)).toEqual(
        ['first-1', 'first-2', 'first-3', 'second-1', 'second-2'].map(envelope),
      );
      expect(w.logs.join('\n')).toMatch(/reading it again from its start/);
    } finally {
      await w.stop();
    }
  });

  it('reads from its start a file truncated while the worker was stopped', async () => {
    const { project, file, topic } = await fileSourceSetup();
    await mkdir(join(project.dir, 'in'), { recursive: true });
    await writeFile(file, 'old-line-1\nold-line-2\n');
    const first = await startWorker(project);
    await waitFor('two records', async () => (await topicValues(topic)).length === 2);
    await first.stop();
    await writeFile(file, 'new\n');
    const second = await startWorker(project);
    try {
      await waitFor('three records', async () => (await topicValues(topic)).length >= 3);
      expect(await topicValues(topic)).toEqual(['old-line-1', 'old-line-2', 'new'].map(envelope));
    } finally {
      await second.stop();
    }
  });

  it('keeps offsets in a local JSON file with worker.offsetStorage: file', async () => {
    const { project, file, name, topic } = await fileSourceSetup({
      offsetStorage: 'file',
      offsetFile: 'state/offsets.json',
    });
    await mkdir(join(project.dir, 'in'), { recursive: true });
    await writeFile(file, 'x\n');
    const first = await startWorker(project);
    await waitFor('one record', async () => (await topicValues(topic)).length === 1);
    await first.stop();
    const saved = JSON.parse(await readFile(join(project.dir, 'state', 'offsets.json'), 'utf8'));
    expect(saved.offsets).toEqual({ [`["${name}",{"filename":"${file}"}]`]: { position: 2 } });
    await appendFile(file, 'y\n');
    const second = await startWorker(project);
    try {
      await waitFor('two records', async () => (await topicValues(topic)).length >= 2);
      expect(await topicValues(topic)).toEqual(['x', 'y'].map(envelope));
    } finally {
      await second.stop();
    }
  });
});
