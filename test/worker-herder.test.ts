/**
 * The herder follows the configs topic alone, as a worker started with
 * `pipe run` sees what a CI apply wrote: new, changed, stopped and deleted
 * connectors, connectors it cannot run, and its own heartbeat.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import {
  applyConnector,
  connectorSpec,
  deleteConnector,
  startWorker,
  statusKey,
  statusOf,
  testProject,
} from './helpers/worker.js';

const STRING = { type: 'string', schemas: false, decimalFormat: 'BASE64' } as const;

async function values(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString() ?? '<null>');
}

describe('herder', () => {
  it('restarts a connector whose config changed, and stops a deleted one, dropping its file-stored offsets', async () => {
    const project = await testProject({ offsetStorage: 'file', offsetFile: 'offsets.json' });
    const topic = uniqueName('files');
    await createTopic(topic, 1);
    await mkdir(join(project.dir, 'in'));
    const a = join(project.dir, 'in', 'a.txt');
    const b = join(project.dir, 'in', 'b.txt');
    await writeFile(a, 'from-a\n');
    await writeFile(b, 'from-b\n');
    const spec = connectorSpec({
      kind: 'source',
      name: uniqueName('src'),
      connector: 'file',
      topic,
      config: { file: a },
      value: STRING,
    });
    await applyConnector(project, spec);
    const w = await startWorker(project);
    try {
      await waitFor('from-a', async () => (await values(topic)).includes('from-a'));
      await applyConnector(project, { ...spec, config: { file: b } });
      await waitFor('from-b after the change', async () => (await values(topic)).includes('from-b'));
      expect(w.logs.join('\n')).toMatch(/configuration changed, restarting/);

      await deleteConnector(project, spec.name);
      await waitFor('the connector to go', () => w.worker.herder.tasks().length === 0);
      await waitFor(
        'its status tombstoned',
        async () => (await statusOf(project, statusKey.connector(spec.name))) === undefined,
      );
      await waitFor('its offsets dropped from the file', async () => {
        const saved = JSON.parse(await readFile(join(project.dir, 'offsets.json'), 'utf8'));
        return Object.keys(saved.offsets).length === 0;
      });
      await appendFile(b, 'after-delete\n');
      await applyConnector(project, { ...spec, name: uniqueName('witness'), config: { file: b } });
      // A new connector reads b from its start; the deleted one would have added after-delete once more.
      await waitFor(
        'the witness to read b',
        async () => (await values(topic)).filter((v) => v === 'after-delete').length === 1,
      );
      expect(await values(topic)).toEqual(['from-a', 'from-b', 'from-b', 'after-delete']);
    } finally {
      await w.stop();
    }
  });

  it('reports a connector it cannot run as FAILED with the reason, and a stopped one as STOPPED without tasks', async () => {
    const project = await testProject();
    const foreign = connectorSpec({
      kind: 'source',
      name: uniqueName('jdbc'),
      connector: 'connect:io.confluent.connect.jdbc.JdbcSourceConnector',
      topic: 'x',
      config: {},
    });
    const stopped = connectorSpec({
      kind: 'sink',
      name: uniqueName('stopped'),
      connector: 'console',
      topics: ['x'],
      config: {},
    });
    await applyConnector(project, foreign);
    await applyConnector(project, stopped, 'stopped');
    const w = await startWorker(project);
    try {
      await waitFor('both statuses', () => w.events.filter((e) => e.task === undefined).length >= 2);
      const failed = w.events.find((e) => e.connector === foreign.name);
      expect(failed?.state).toBe('FAILED');
      expect(failed?.trace).toMatch(/runs on a Kafka Connect cluster/);
      expect(w.events.find((e) => e.connector === stopped.name)?.state).toBe('STOPPED');
      expect(w.worker.herder.tasks()).toEqual([]);
      const status = await waitFor('FAILED in the status topic', async () =>
        statusOf(project, statusKey.connector(foreign.name)),
      );
      expect(status).toMatchObject({ state: 'FAILED', worker_id: w.worker.id });
    } finally {
      await w.stop();
    }
  });

  it('keeps a heartbeat in the status topic while it runs and removes it at a clean stop', async () => {
    const project = await testProject();
    const w = await startWorker(project, { workerId: uniqueName('worker') });
    const key = statusKey.worker(w.worker.id);
    const beat = await waitFor('a heartbeat', async () => statusOf(project, key));
    expect(beat).toMatchObject({ worker_id: w.worker.id, project: project.name });
    await w.stop();
    const latest = latestByKey(
      await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).status),
    );
    expect(latest.has(key)).toBe(false);
  });

  it('runs datagen: count records with Connect’s struct JSON, keyed when keys is set', async () => {
    const project = await testProject();
    const topic = uniqueName('gen');
    await createTopic(topic, 2);
    await applyConnector(
      project,
      connectorSpec({
        kind: 'source',
        name: uniqueName('datagen'),
        connector: 'datagen',
        topic,
        tasks: 2,
        config: { count: 500, payloadBytes: 8, keys: 4 },
        key: STRING,
        value: { type: 'json', schemas: false, decimalFormat: 'BASE64' },
      }),
    );
    const w = await startWorker(project);
    try {
      await waitFor('500 records', async () => (await readTopicToEnd(kafka(), topic)).length >= 500);
      const records = await readTopicToEnd(kafka(), topic);
      expect(records).toHaveLength(500);
      const parsed = records.map((r) => ({ key: r.key?.toString(), value: JSON.parse(r.value!.toString()) }));
      expect(parsed.map((p) => p.value.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 500 }, (_, i) => i),
      );
      const seven = parsed.find((p) => p.value.seq === 7)!;
      expect(seven.key).toBe('key-3');
      expect(seven.value.payload).toBe('hijklmno');
    } finally {
      await w.stop();
    }
  });

  it('drops a deleted connector’s offsets from the offsets topic, so one re-created under its name starts afresh', async () => {
    const project = await testProject();
    const topic = uniqueName('again');
    await createTopic(topic, 1);
    await mkdir(join(project.dir, 'in'));
    const file = join(project.dir, 'in', 'a.txt');
    await writeFile(file, 'x\ny\n');
    const spec = connectorSpec({
      kind: 'source',
      name: uniqueName('src'),
      connector: 'file',
      topic,
      config: { file },
      value: STRING,
    });
    await applyConnector(project, spec);
    const w = await startWorker(project);
    try {
      await waitFor('two records', async () => (await values(topic)).length === 2);
      await deleteConnector(project, spec.name);
      await waitFor('the connector to go', () => w.worker.herder.tasks().length === 0);
      await waitFor('its offsets dropped', async () => {
        const offsets = latestByKey(
          await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).offsets),
        );
        return ![...offsets.keys()].some((k) => k.includes(spec.name));
      });
      await applyConnector(project, spec);
      await waitFor('the file read again', async () => (await values(topic)).length === 4);
      expect(await values(topic)).toEqual(['x', 'y', 'x', 'y']);
    } finally {
      await w.stop();
    }
  });
});
