import { beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { PipeError } from '../src/errors.js';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { desired, project, topic } from './fixtures/plan/build.js';
import { copyExampleProject, runCli } from './fixtures/plan/cli.js';
import { brokers, connection, createTopic, kafka, produce, uniqueName } from './helpers/kafka.js';

beforeAll(() => {
  process.env['KAFKA_BROKERS'] = brokers();
});

async function listTopics(): Promise<string[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

describe('pipe destroy', () => {
  it('removes every managed topic and connector with their state records, and touches no unmanaged topic', async () => {
    const name = uniqueName('destroy');
    const { dir, topic: managedTopic } = await copyExampleProject(name);
    const unmanaged = `${name}-unmanaged`;
    await createTopic(unmanaged);
    const applied = await runCli(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
    expect(applied.code, applied.stderr).toBe(0);
    const names = stateTopicNames(`pipe-${name}`);
    // What a worker would have left: an offset of the source, a status record.
    await produce(names.offsets, [
      {
        key: JSON.stringify(['local-file-source', { filename: '/tmp/connectorfile/test.txt' }]),
        value: '{"position":4}',
      },
    ]);
    await produce(names.status, [
      {
        key: 'status-connector-local-file-source',
        value: '{"state":"RUNNING","trace":null,"worker_id":"w","generation":1}',
      },
    ]);

    const refused = await runCli(['-C', dir, 'destroy']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[APPLY_REFUSED]: refusing to destroy without approval');

    // One rule with apply: deleting a topic (its data goes) needs --allow-delete.
    const withoutAllow = await runCli(['-C', dir, 'destroy', '--auto-approve']);
    expect(withoutAllow.code).toBe(1);
    expect(withoutAllow.stderr).toContain(
      `error[APPLY_REFUSED]: refusing to apply: topic.${managedTopic} (deleting a topic deletes its data)`,
    );
    expect(withoutAllow.stderr).toContain('run again with --allow-delete');
    expect(await listTopics()).toContain(managedTopic);

    const result = await runCli(['-C', dir, 'destroy', '--auto-approve', '--allow-delete']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan: 0 to add, 0 to change, 3 to destroy.');
    expect(result.stdout).toContain('note: offsets dropped');
    expect(result.stdout).toContain('Destroy complete: 0 added, 0 changed, 3 destroyed.');
    expect(result.stdout).toContain(
      `The state topics ${names.configs}, ${names.offsets}, ${names.status} remain, without this project's records.\n` +
        'To remove them too (no other project may use the same state.topicPrefix):\n' +
        `  kafka-topics.sh --bootstrap-server ${brokers()} --delete --topic '${[names.configs, names.offsets, names.status].map((n) => n.replaceAll('.', '\\.')).join('|')}'\n`,
    );

    const topics = await listTopics();
    expect(topics).not.toContain(managedTopic);
    expect(topics).toContain(unmanaged);
    const configs = latestByKey(await readTopicToEnd(kafka(), names.configs));
    expect([...configs.keys()]).toEqual([]);
    expect([...latestByKey(await readTopicToEnd(kafka(), names.offsets)).keys()]).toEqual([]);
    expect([...latestByKey(await readTopicToEnd(kafka(), names.status)).keys()]).toEqual([]);

    const again = await runCli(['-C', dir, 'destroy', '--auto-approve']);
    expect(again.stdout).toBe('No changes: the cluster matches the configuration.\n');
  });

  it('asks --allow-delete for resources marked protect: true', async () => {
    const name = uniqueName('protect');
    const d = desired({
      project: project({
        name,
        kafka: connection(),
        state: { topicPrefix: `pipe-${name}`, replicationFactor: 1 },
      }),
      topics: [topic(`${name}-keep`, { protect: true })],
    });
    await applyProject(d, { autoApprove: true, wait: false });
    const err = await applyProject(d, { autoApprove: true, destroy: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipeError);
    expect((err as PipeError).code).toBe('APPLY_REFUSED');
    expect((err as PipeError).message).toContain('it is marked protect: true');
    expect(await listTopics()).toContain(`${name}-keep`);

    await applyProject(d, { autoApprove: true, destroy: true, allowDelete: true });
    expect(await listTopics()).not.toContain(`${name}-keep`);
  });
});
