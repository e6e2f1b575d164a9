import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { plan } from '../src/plan/diff.js';
import { planProject } from '../src/plan/index.js';
import { readActualState } from '../src/plan/read-actual.js';
import { stateTopicNames } from '../src/state/records.js';
import { desired, project, sink, source, topic } from './fixtures/plan/build.js';
import { copyExampleProject, runCli } from './fixtures/plan/cli.js';
import { brokers, connection, kafka, uniqueName } from './helpers/kafka.js';

beforeAll(() => {
  // The example's pipeline.config.yaml reads its brokers from ${env:KAFKA_BROKERS:-…}.
  process.env['KAFKA_BROKERS'] = brokers();
});

async function describeTopic(topic: string) {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic }],
    });
    const entries = configs.resources[0]!.configEntries;
    return {
      partitions: meta.topics[0]!.partitions.length,
      replicationFactor: meta.topics[0]!.partitions[0]!.replicas.length,
      retention: entries.find((e) => e.configName === 'retention.ms')?.configValue,
    };
  } finally {
    await admin.disconnect();
  }
}

describe('the example project through the CLI', () => {
  it('plans 3 to add, applies them, then plans nothing; the cluster holds what the plan said', async () => {
    const name = uniqueName('example');
    const { dir, topic } = await copyExampleProject(name);

    const first = await runCli(['-C', dir, 'plan', '--detailed-exitcode']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(2);
    expect(first.stdout).toContain(`+ topic.${topic}`);
    expect(first.stdout).toContain('+ source.local-file-source');
    expect(first.stdout).toContain('+ sink.local-file-sink');
    expect(first.stdout).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');

    const apply = await runCli(['-C', dir, 'apply', '--auto-approve', '--wait-timeout', '5']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(new RegExp(`\\+ topic\\.${topic}: created \\(\\d+\\.\\d\\d s\\)`));
    expect(apply.stdout).toContain('Apply complete: 3 added, 0 changed, 0 destroyed.');
    expect(apply.stdout).toContain(`no worker is running for project ${name}: start one with \`pipe run\``);

    const second = await runCli(['-C', dir, 'plan', '--detailed-exitcode']);
    expect(second).toEqual({
      code: 0,
      stdout: 'No changes: the cluster matches the configuration.\n',
      stderr: '',
    });

    // An independent client sees what the plan promised.
    expect(await describeTopic(topic)).toEqual({
      partitions: 3,
      replicationFactor: 1,
      retention: '604800000',
    });
    const configs = latestByKey(await readTopicToEnd(kafka(), stateTopicNames(`pipe-${name}`).configs));
    expect(JSON.parse(configs.get('target-state-local-file-source')!.toString())).toEqual({
      state: 'STARTED',
      'state.v2': 'STARTED',
    });
    expect(JSON.parse(configs.get('connector-local-file-sink')!.toString())).toMatchObject({
      project: name,
      spec: {
        kind: 'sink',
        connector: 'file',
        topics: [topic],
        config: { file: '/tmp/connectorfile/test.sink.txt' },
      },
    });
    expect(JSON.parse(configs.get(`managed-topic-${topic}`)!.toString())).toMatchObject({
      project: name,
      adopted: false,
    });
    expect(configs.has('lock')).toBe(false);
  });

  it('refuses a topic config key the broker does not know, naming it with the nearest known one', async () => {
    const name = uniqueName('plan-keys');
    const { dir, topic } = await copyExampleProject(name);
    const pipeline = join(dir, 'pipelines', 'file-demo.yaml');
    await writeFile(pipeline, (await readFile(pipeline, 'utf8')).replace('retention.ms:', 'retention.msec:'));
    const result = await runCli(['-C', dir, 'plan']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error[PLAN_INVALID]: topic.${topic}: config "retention.msec" is not a topic config this Kafka cluster knows\n  hint: did you mean "retention.ms"?`,
    );
  });

  it('saves a plan, and applies exactly it; JSON and Markdown render the same plan', async () => {
    const name = uniqueName('saved');
    const { dir } = await copyExampleProject(name);
    const out = join(dir, 'plan.json');

    const json = await runCli(['-C', dir, 'plan', '--json', '--out', out]);
    expect(json.code).toBe(0);
    const saved = JSON.parse(await readFile(out, 'utf8'));
    expect(JSON.parse(json.stdout)).toEqual(saved);
    expect(saved).toMatchObject({
      format_version: '2',
      project: name,
      summary: { add: 3, change: 0, destroy: 0 },
    });

    const md = await runCli(['-C', dir, 'plan', '--format', 'markdown']);
    expect(md.stdout).toContain('**Plan: 3 to add, 0 to change, 0 to destroy.**');
    expect(md.stdout).toContain('| `+` | `source.local-file-source` | create |');

    const apply = await runCli(['-C', dir, 'apply', out, '--no-wait']);
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Apply complete: 3 added, 0 changed, 0 destroyed.');

    // Applied, the cluster moved: the same file is now stale.
    const again = await runCli(['-C', dir, 'apply', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error[PLAN_STALE]: the cluster changed since the plan was made');
  });

  it('refuses to apply without a terminal unless --auto-approve is given', async () => {
    const { dir } = await copyExampleProject(uniqueName('noapprove'));
    const result = await runCli(['-C', dir, 'apply']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error[APPLY_REFUSED]: refusing to apply without approval');
    expect((await runCli(['-C', dir, 'plan', '--detailed-exitcode'])).code).toBe(2);
  });

  it('a plan error exits 1 and says what is wrong', async () => {
    const { dir } = await copyExampleProject(uniqueName('badtarget'));
    const result = await runCli(['-C', dir, 'plan', '--target', 'topic.nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error[PLAN_INVALID]: topic.nope names no resource of this project\n' +
        '  hint: addresses look like topic.<name>, source.<name>, sink.<name>\n',
    );
  });
});

describe('reading the cluster', () => {
  it('a plan made from a recorded snapshot of the actual state equals the plan made live', async () => {
    const name = uniqueName('snapshot');
    const t = `${name}-t`;
    const project0 = project({
      name,
      kafka: connection(),
      state: { topicPrefix: `pipe-${name}`, replicationFactor: 1 },
    });
    await applyProject(
      desired({
        project: project0,
        topics: [topic(t, { config: { 'retention.ms': '1000' } })],
        connectors: [source('s', { topic: t }), sink('k', { topics: [t] })],
      }),
      { autoApprove: true, wait: false },
    );
    const next = desired({
      project: project0,
      topics: [topic(t, { partitions: 4 }), topic(`${t}2`)],
      connectors: [source('s', { topic: t, tasks: 2 })],
    });
    const client = kafka();
    const admin = client.admin();
    await admin.connect();
    const { actual } = await readActualState(client, admin, next);
    await admin.disconnect();
    const snapshot = JSON.parse(JSON.stringify(actual));

    const live = await planProject(next);
    expect(plan(next, snapshot)).toEqual(live);
    expect(live.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      `update topic.${t}`,
      `create topic.${t}2`,
      'delete sink.k',
      'update source.s',
    ]);
    // The broker's defaults of the topic never show: only its own retention.ms override, going away.
    expect(live.changes[0]!.attributes.map((a) => a.path)).toEqual(['partitions', 'config.retention.ms']);
  });
});
