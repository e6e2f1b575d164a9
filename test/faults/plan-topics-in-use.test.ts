/**
 * Plans against the real broker that used to delete a topic its connectors
 * still read and write, or let a connector name a topic that does not exist
 * (its task would only fail once running) with nothing but a warning. Both
 * are plan errors now, in `pipe plan --json` too, naming the connectors; a
 * topic no pipeline declares but the cluster has is noted as unmanaged.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { runCli } from '../fixtures/plan/cli.js';
import { brokers, createTopic, kafka, uniqueName } from '../helpers/kafka.js';

async function projectDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pipe-topics-in-use-'));
  await mkdir(join(dir, 'pipelines'));
  await writeFile(join(dir, 'pipeline.config.yaml'), `project: ${name}\nkafka:\n  brokers: [${brokers()}]\n`);
  return dir;
}

/** A file source writing `topic` and a file sink reading it; `declared` says whether the pipeline declares it. */
async function writePipeline(dir: string, topic: string, declared: boolean): Promise<void> {
  const lines = [
    'pipeline: p',
    ...(declared ? ['topics:', `  ${topic}: { partitions: 1, replicationFactor: 1 }`] : []),
    'sources:',
    `  ${topic}-in: { connector: file, topic: ${topic}, config: { file: ${join(dir, 'in.txt')} } }`,
    'sinks:',
    `  ${topic}-out: { connector: file, topics: [${topic}], config: { file: ${join(dir, 'out.txt')} } }`,
    '',
  ];
  await writeFile(join(dir, 'pipelines', 'p.yaml'), lines.join('\n'));
}

async function planJson(dir: string): Promise<{ code: number; diagnostics: Diagnostic[] }> {
  const result = await runCli(['-C', dir, 'plan', '--json']);
  return {
    code: result.code,
    diagnostics: (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics,
  };
}

async function topicExists(topic: string): Promise<boolean> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

describe('the topics connectors use', { timeout: 60_000 }, () => {
  it('a plan that would delete a topic the connectors still use is refused, naming them', async () => {
    const topic = uniqueName('inuse');
    const dir = await projectDir(uniqueName('inuse'));
    await writePipeline(dir, topic, true);
    const applied = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await topicExists(topic)).toBe(true);

    await writePipeline(dir, topic, false);
    const planned = await planJson(dir);
    expect(planned.code).toBe(1);
    expect(planned.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'TOPIC_IN_USE',
        address: `topic.${topic}`,
        summary: `topic.${topic} would be deleted, but connectors source.${topic}-in and sink.${topic}-out use it`,
      }),
    );
    const apply = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(`connectors source.${topic}-in and sink.${topic}-out use it`);
    expect(await topicExists(topic)).toBe(true);
  });

  it('a connector naming a topic that is neither declared nor on the cluster is a plan error', async () => {
    const topic = uniqueName('nowhere');
    const dir = await projectDir(uniqueName('nowhere'));
    await writePipeline(dir, topic, false);
    const planned = await planJson(dir);
    expect(planned.code).toBe(1);
    expect(planned.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'UNKNOWN_TOPIC',
        summary: `connectors source.${topic}-in and sink.${topic}-out use topic ${topic}, which no pipeline declares and the cluster does not have`,
      }),
    );
    expect(await topicExists(topic)).toBe(false);
  });

  it('an undeclared topic that the cluster has is planned with a note that it is unmanaged', async () => {
    const topic = uniqueName('external');
    await createTopic(topic);
    const dir = await projectDir(uniqueName('external'));
    await writePipeline(dir, topic, false);
    const planned = await planJson(dir);
    expect(planned.code).toBe(0);
    expect(planned.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'UNMANAGED_TOPIC',
        summary: expect.stringContaining(
          `topic ${topic}, which no pipeline declares: it exists on the cluster`,
        ),
      }),
    ]);
  });
});
