/**
 * A datagen source with `tasks: N` splits its sequence as Kafka Connect's
 * taskConfigs split a connector's work: each task makes its own share
 * (record `seq` by task `seq mod N`) under its own source partition
 * `{task}`, and a restart resumes each task from its own offset; after a
 * change of the task count none is skipped.
 */
import { describe, expect, it } from 'vitest';
import type { ProjectSpec } from '../src/config/model.js';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { offsetKey, stateTopicNames } from '../src/state/records.js';
import { createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { applyConnector, connectorSpec, startWorker, testProject } from './helpers/worker.js';

const TASKS = 3;
const COUNT = 3000;

async function seqs(topic: string): Promise<number[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => JSON.parse(r.value?.toString() ?? 'null').seq);
}

function datagen(name: string, topic: string, tasks: number) {
  return connectorSpec({
    kind: 'source',
    name,
    connector: 'datagen',
    topic,
    tasks,
    // 300 records/s in all, 100 a task: the first run stops part of the way through.
    config: { count: COUNT, rate: 300, payloadBytes: 4 },
    value: { type: 'json', schemas: false, decimalFormat: 'BASE64' },
  });
}

async function storedSeq(project: ProjectSpec, name: string, task: number): Promise<number | undefined> {
  const offsets = latestByKey(
    await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).offsets),
  );
  const value = offsets.get(offsetKey(name, { task }).toString('utf8'));
  return value === undefined ? undefined : JSON.parse(value.toString('utf8')).seq;
}

describe('datagen source with tasks', () => {
  it('makes each task its own share under its own offset, and resumes each after a restart', async () => {
    const project = await testProject();
    const topic = uniqueName('gen-tasks');
    await createTopic(topic, 3);
    const name = uniqueName('gen');
    await applyConnector(project, datagen(name, topic, TASKS));
    const stored = (task: number) => storedSeq(project, name, task);
    const tasks = Array.from({ length: TASKS }, (_, t) => t);

    const first = await startWorker(project);
    try {
      await waitFor('records of every task and an offset stored for each', async () => {
        const made = new Set((await seqs(topic)).map((s) => s % TASKS));
        const offsets = await Promise.all(tasks.map(stored));
        return made.size === TASKS && offsets.every((s) => s !== undefined);
      });
    } finally {
      await first.stop();
    }
    const before = await seqs(topic);
    expect(before.length).toBeLessThan(COUNT);
    for (const t of tasks) {
      const own = before.filter((s) => s % TASKS === t);
      // A clean stop stores each task's last record: its offset is the highest seq of its share.
      expect(await stored(t)).toBe(Math.max(...own));
    }

    const second = await startWorker(project);
    try {
      await waitFor('every record', async () => (await seqs(topic)).length >= COUNT, { timeoutMs: 30_000 });
    } finally {
      await second.stop();
    }
    const all = await seqs(topic);
    // Each task went on from its own offset: every seq once, none made twice, none skipped.
    expect(all.length).toBe(COUNT);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    expect(await Promise.all(tasks.map(stored))).toEqual(tasks.map((t) => COUNT - TASKS + t));
  }, 120_000);

  it('after the task count changed, skips no record and makes again only those past the slowest old task', async () => {
    const project = await testProject();
    const topic = uniqueName('gen-retask');
    await createTopic(topic, 3);
    const name = uniqueName('gen');
    await applyConnector(project, datagen(name, topic, TASKS));
    const first = await startWorker(project);
    try {
      await waitFor('an offset stored for each task', async () =>
        (await Promise.all([0, 1, 2].map((t) => storedSeq(project, name, t)))).every((s) => s !== undefined),
      );
    } finally {
      await first.stop();
    }
    const before = await seqs(topic);
    const lasts = await Promise.all([0, 1, 2].map((t) => storedSeq(project, name, t)));
    // The first record one of the three tasks had not made: the two tasks go on from there.
    const unmade = Math.min(...lasts.map((last) => (last ?? 0) + TASKS));

    await applyConnector(project, datagen(name, topic, 2));
    const second = await startWorker(project);
    try {
      await waitFor('every record', async () => new Set(await seqs(topic)).size >= COUNT, {
        timeoutMs: 30_000,
      });
    } finally {
      await second.stop();
    }
    const all = await seqs(topic);
    expect([...new Set(all)].sort((a, b) => a - b)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    expect(all.length).toBe(COUNT + before.filter((s) => s >= unmade).length);
  }, 120_000);
});
