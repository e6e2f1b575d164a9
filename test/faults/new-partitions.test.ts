/**
 * Issue 20 item 3: partitions added to a topic while a sink runs are read
 * within seconds. The test adds partitions to the sink's topic behind the
 * running worker's back (as `pipe apply` does), writes into a new partition,
 * and waits for the record in the sink's file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTopic, kafka, produce, uniqueName, waitFor } from '../helpers/kafka.js';
import { applyConnector, connectorSpec, startWorker, testProject } from '../helpers/worker.js';

async function lines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('faults: partitions added while a sink runs', () => {
  it('are read within seconds', async () => {
    const project = await testProject();
    const topic = uniqueName('grow');
    await createTopic(topic, 1);
    const output = join(project.dir, 'out.txt');
    await writeFile(output, '');
    const sink = uniqueName('sink');
    const plain = { type: 'string', schemas: false, decimalFormat: 'BASE64' } as const;
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name: sink,
        connector: 'file',
        topics: [topic],
        config: { file: output },
        value: plain,
      }),
    );
    const w = await startWorker(project);
    try {
      await w.taskState(sink, 0, 'RUNNING');
      await produce(topic, [{ value: 'in-partition-0', partition: 0 }]);
      await waitFor('the first record in the sink', async () =>
        (await lines(output)).includes('in-partition-0'),
      );

      const admin = kafka().admin();
      await admin.connect();
      try {
        await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
      } finally {
        await admin.disconnect();
      }
      await produce(topic, [{ value: 'in-partition-2', partition: 2 }]);
      // kafkajs's default metadata age left a new partition unread for five minutes.
      await waitFor(
        'the record of the new partition in the sink',
        async () => (await lines(output)).includes('in-partition-2'),
        {
          timeoutMs: 30_000,
        },
      );
      expect(await lines(output)).toEqual(['in-partition-0', 'in-partition-2']);
    } finally {
      await w.stop();
    }
  }, 90_000);
});
