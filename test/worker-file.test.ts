import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consume, createTopic, uniqueName, waitFor } from './helpers/kafka.js';
import { applyConnector, connectorSpec, startWorker, testProject } from './helpers/worker.js';

async function fileContent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

describe('worker: file source → topic → file sink', () => {
  it('runs the seed demo: aaa, bbb, ccc reach the topic as Connect’s JSON and the sink file as lines', async () => {
    const project = await testProject();
    const topic = uniqueName('connect-test');
    await createTopic(topic, 3);
    const source = join(project.dir, 'connectorfile', 'test.txt');
    const sink = join(project.dir, 'connectorfile', 'sink', 'test.sink.txt');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'source',
        name: uniqueName('local-file-source'),
        connector: 'file',
        topic,
        config: { file: source },
      }),
    );
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name: uniqueName('local-file-sink'),
        connector: 'file',
        topics: [topic],
        config: { file: sink },
      }),
    );
    const w = await startWorker(project);
    try {
      await mkdir(join(project.dir, 'connectorfile'), { recursive: true });
      await writeFile(source, '');
      for (const line of ['aaa', 'bbb', 'ccc']) await appendFile(source, `${line}\n`);

      const messages = await consume(topic, 3);
      expect(messages.map((m) => m.key)).toEqual([null, null, null]);
      expect(messages.map((m) => m.value?.toString()).sort()).toEqual([
        '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
        '{"schema":{"type":"string","optional":false},"payload":"bbb"}',
        '{"schema":{"type":"string","optional":false},"payload":"ccc"}',
      ]);
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
});
