import { describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import type { DesiredState, TopicSpec } from '../src/config/model.js';
import { PipeError } from '../src/errors.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { planProject } from '../src/plan/index.js';
import { toPlanJson } from '../src/plan/plan-json.js';
import { acquireLock } from '../src/state/lock.js';
import { stateTopicNames } from '../src/state/records.js';
import { ensureStateTopics } from '../src/state/topics.js';
import { desired, project, sink, source, topic } from './fixtures/plan/build.js';
import { connection, consume, createTopic, kafka, produce, uniqueName } from './helpers/kafka.js';

function projectNamed(name: string, parts: Partial<DesiredState> = {}): DesiredState {
  return desired({
    project: project({
      name,
      kafka: connection(),
      state: { topicPrefix: `pipe-${name}`, replicationFactor: 1 },
    }),
    ...parts,
  });
}

async function topicOnCluster(name: string) {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [name] });
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name }] });
    return {
      partitions: meta.topics[0]!.partitions.length,
      overrides: Object.fromEntries(
        configs.resources[0]!.configEntries.filter((e) => e.configSource === 1).map((e) => [
          e.configName,
          e.configValue,
        ]),
      ),
    };
  } finally {
    await admin.disconnect();
  }
}

async function rejection(promise: Promise<unknown>): Promise<PipeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PipeError)) throw new Error(`expected a PipeError, got ${String(err)}`);
  return err;
}

const quiet = { autoApprove: true, wait: false } as const;

describe('apply against the real broker', () => {
  it('adds partitions and changes configs in place, keeping the data; a removed config goes back to the default', async () => {
    const name = uniqueName('inplace');
    const t = `${name}-orders`;
    const before = projectNamed(name, {
      topics: [topic(t, { config: { 'retention.ms': '3600000', 'segment.ms': '7200000' } })],
    });
    await applyProject(before, quiet);
    await produce(t, [{ key: 'k', value: 'kept' }]);

    const changed = projectNamed(name, {
      topics: [topic(t, { partitions: 6, config: { 'retention.ms': '86400000' } })],
    });
    const lines: string[] = [];
    const result = await applyProject(changed, { ...quiet, log: (l) => lines.push(l) });
    expect(result.plan.changes.map((c) => [c.action, c.address])).toEqual([['update', `topic.${t}`]]);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^~ topic\\.${t}: updated \\(\\d+\\.\\d\\d s\\)$`)),
    ]);

    expect(await topicOnCluster(t)).toEqual({ partitions: 6, overrides: { 'retention.ms': '86400000' } });
    expect((await consume(t, 1)).map((m) => m.value?.toString())).toEqual(['kept']);
    expect((await planProject(changed)).summary).toEqual({ add: 0, change: 0, destroy: 0 });
  });

  it('refuses partitions down, saying why and what to do, and changes nothing', async () => {
    const name = uniqueName('down');
    const t = `${name}-t`;
    await applyProject(projectNamed(name, { topics: [topic(t, { partitions: 4 })] }), quiet);
    const err = await rejection(
      applyProject(projectNamed(name, { topics: [topic(t, { partitions: 2 })] }), quiet),
    );
    expect(err.code).toBe('PLAN_INVALID');
    expect(err.message).toContain(
      'partitions cannot go down from 4 to 2, because Kafka cannot reduce the partitions of a topic',
    );
    expect(err.meta.hint).toContain('create a new topic with 2 partitions');
    expect((await topicOnCluster(t)).partitions).toBe(4);
  });

  it('shows a replication factor change as replace and refuses it without --allow-replace', async () => {
    const name = uniqueName('rf');
    const t = `${name}-t`;
    await applyProject(projectNamed(name, { topics: [topic(t)] }), quiet);
    const wanted = projectNamed(name, { topics: [topic(t, { replicationFactor: 3 })] });
    const p = await planProject(wanted);
    expect(p.changes.map((c) => [c.action, c.address, c.reason])).toEqual([
      ['replace', `topic.${t}`, 'replication_factor_changed'],
    ]);
    const err = await rejection(applyProject(wanted, quiet));
    expect(err.code).toBe('APPLY_REFUSED');
    expect(err.meta.remedies).toEqual(['allow_replace']);
    expect((await topicOnCluster(t)).partitions).toBe(3);
  });

  it('adopts a topic that exists but is not managed, never re-creating it', async () => {
    const name = uniqueName('adopt');
    const t = `${name}-t`;
    await createTopic(t, 2);
    await produce(t, [{ value: 'before pipe' }]);
    const d = projectNamed(name, { topics: [topic(t, { partitions: 3 })] });
    const result = await applyProject(d, quiet);
    expect(
      result.plan.changes.map((c) => [c.action, c.attributes.map((a) => [a.path, a.before, a.after])]),
    ).toEqual([['adopt', [['partitions', 2, 3]]]]);
    expect((await consume(t, 1)).map((m) => m.value?.toString())).toEqual(['before pipe']);
    expect((await planProject(d)).summary).toEqual({ add: 0, change: 0, destroy: 0 });
  });

  it('a topic deletion needs --allow-delete; a connector deletion does not', async () => {
    const name = uniqueName('del');
    const t: TopicSpec = topic(`${name}-t`);
    await applyProject(
      projectNamed(name, { topics: [t], connectors: [source('s', { topic: t.name })] }),
      quiet,
    );
    const withoutTopic = projectNamed(name, { connectors: [] });
    expect((await rejection(applyProject(withoutTopic, quiet))).code).toBe('APPLY_REFUSED');
    const result = await applyProject(withoutTopic, { ...quiet, allowDelete: true });
    expect(result.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'delete source.s',
      `delete topic.${t.name}`,
    ]);
  });

  it('refuses a saved plan once the cluster moved, and applies it while it has not', async () => {
    const name = uniqueName('stale');
    const t = `${name}-t`;
    const d = projectNamed(name, { topics: [topic(t)] });
    const saved = toPlanJson(await planProject(d));
    await createTopic(t, 1);
    const err = await rejection(applyProject(d, { ...quiet, savedPlan: saved }));
    expect(err.code).toBe('PLAN_STALE');
    expect((await topicOnCluster(t)).partitions).toBe(1);

    const fresh = toPlanJson(await planProject(d));
    const result = await applyProject(d, { ...quiet, savedPlan: fresh });
    expect(result.plan.changes.map((c) => c.action)).toEqual(['adopt']);
  });

  it('refuses a saved plan made from a different configuration', async () => {
    const name = uniqueName('desired');
    const saved = toPlanJson(await planProject(projectNamed(name, { topics: [topic(`${name}-t`)] })));
    const edited = projectNamed(name, { topics: [topic(`${name}-t`, { partitions: 5 })] });
    const err = await rejection(applyProject(edited, { ...quiet, savedPlan: saved }));
    expect(err.code).toBe('PLAN_STALE');
    expect(err.message).toContain('configuration differs');
  });
});

describe('a failing apply', () => {
  it('stops at the first failure, says what was done and what was not, and converges when run again', async () => {
    const name = uniqueName('fail');
    const [good, bad] = [`${name}-good`, `${name}-bad`];
    const broken = projectNamed(name, {
      topics: [topic(good), topic(bad, { config: { 'retention.ms': 'not-a-number' } })],
      connectors: [source('s', { topic: bad })],
    });
    const lines: string[] = [];
    const err = await rejection(applyProject(broken, { ...quiet, log: (l) => lines.push(l) }));
    expect(err.code).toBe('APPLY_FAILED');
    expect(err.message).toMatch(new RegExp(`^apply stopped at topic\\.${bad} \\(create\\): `));
    expect(err.meta).toMatchObject({ done: [`topic.${good}`], notDone: [`topic.${bad}`, 'source.s'] });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^\\+ topic\\.${good}: created`))]);

    const fixed = projectNamed(name, {
      topics: [topic(good), topic(bad, { config: { 'retention.ms': '1000' } })],
      connectors: [source('s', { topic: bad })],
    });
    const result = await applyProject(fixed, quiet);
    expect(result.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      `no-op topic.${good}`,
      `create topic.${bad}`,
      'create source.s',
    ]);
    expect((await planProject(fixed)).summary).toEqual({ add: 0, change: 0, destroy: 0 });
  });
});

describe('the apply lock', () => {
  it('two applies at once: one proceeds, the other fails at once naming the holder; state stays intact', async () => {
    const name = uniqueName('lock');
    const d = projectNamed(name, {
      topics: [topic(`${name}-t`)],
      connectors: [source('s', { topic: `${name}-t` })],
    });
    let second: Promise<unknown> | undefined;
    let planned: Awaited<ReturnType<typeof planProject>> | undefined;
    const first = applyProject(d, {
      wait: false,
      holder: 'alice@ci pid 1',
      // While the first apply holds the lock (asking for approval), the second one starts.
      confirm: async () => {
        second = applyProject(d, { ...quiet, holder: 'bob@laptop pid 2' });
        await second.catch(() => undefined);
        planned = await planProject(d);
        return true;
      },
    });
    const result = await first;
    const err = await rejection(second!);
    expect(err.code).toBe('LOCKED');
    expect(err.message).toMatch(/^project .* is locked by alice@ci pid 1 since \d{4}-\d\d-\d\dT/);
    expect(result.applied.map((s) => s.address)).toEqual([`topic.${name}-t`, 'source.s']);
    // A plan made meanwhile says an apply is running.
    expect(planned?.diagnostics).toEqual([
      expect.objectContaining({
        code: 'APPLY_IN_PROGRESS',
        summary: expect.stringMatching(/^an apply by alice@ci pid 1 has been running since /),
      }),
    ]);
    expect((await planProject(d)).summary).toEqual({ add: 0, change: 0, destroy: 0 });
  });

  it('of two claims racing for a free lease exactly one wins', async () => {
    const name = uniqueName('race');
    const admin = kafka().admin();
    await admin.connect();
    const topics = await ensureStateTopics(admin, { topicPrefix: `pipe-${name}`, replicationFactor: 1 });
    await admin.disconnect();
    const claim = async (holder: string) => {
      const producer = kafka().producer();
      await producer.connect();
      try {
        return await acquireLock({ kafka: kafka(), producer, topic: topics.configs, project: name, holder });
      } finally {
        await producer.disconnect();
      }
    };
    const results = await Promise.allSettled([claim('a'), claim('b'), claim('c')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as PipeError).code)).toEqual(['LOCKED', 'LOCKED']);
  });

  it('a holder whose lease ran out without a renewal refuses to go on', async () => {
    const name = uniqueName('lapsed');
    const admin = kafka().admin();
    await admin.connect();
    const topics = await ensureStateTopics(admin, { topicPrefix: `pipe-${name}`, replicationFactor: 1 });
    await admin.disconnect();
    const producer = kafka().producer();
    await producer.connect();
    let skew = 0;
    const lock = await acquireLock({
      kafka: kafka(),
      producer,
      topic: topics.configs,
      project: name,
      ttlMs: 60_000,
      now: () => new Date(Date.now() + skew),
    });
    expect(() => lock.assertHeld()).not.toThrow();
    // As if the process was suspended for longer than its lease.
    skew = 61_000;
    expect(() => lock.assertHeld()).toThrow(/lease of project .* ran out/);
    await lock.release();
    await producer.disconnect();
  });

  it('a crashed apply does not lock the project forever: its lease expires and is taken over', async () => {
    const name = uniqueName('crash');
    const d = projectNamed(name, { topics: [topic(`${name}-t`)] });
    const admin = kafka().admin();
    await admin.connect();
    const topics = await ensureStateTopics(admin, d.project.state);
    await admin.disconnect();
    const producer = kafka().producer();
    await producer.connect();
    // The crashed applier: it claimed the lease two minutes ago for one minute, and never came back.
    const since = Date.now() - 120_000;
    const claim = {
      id: 'crashed',
      holder: 'crashed@ci pid 9',
      since: new Date(since).toISOString(),
      expiresAt: new Date(since + 60_000).toISOString(),
    };
    await producer.send({
      topic: topics.configs,
      acks: -1,
      messages: [{ key: 'lock', value: JSON.stringify(claim) }],
    });
    await producer.disconnect();

    const result = await applyProject(d, { ...quiet, holder: 'next@ci pid 10' });
    expect(result.applied.map((s) => s.address)).toEqual([`topic.${name}-t`]);
  });
});

describe('connector deletion', () => {
  it('drops the source offsets and the sink consumer group, and says so', async () => {
    const name = uniqueName('offsets');
    const t = `${name}-t`;
    const d = projectNamed(name, {
      topics: [topic(t)],
      connectors: [source('src', { topic: t }), sink('snk', { topics: [t] })],
    });
    await applyProject(d, quiet);
    const names = stateTopicNames(d.project.state.topicPrefix);
    await produce(names.offsets, [
      { key: JSON.stringify(['src', { filename: '/tmp/a.txt' }]), value: '{"position":35}' },
      { key: JSON.stringify(['other', { filename: '/tmp/a.txt' }]), value: '{"position":7}' },
    ]);
    const admin = kafka().admin();
    await admin.connect();
    await admin.setOffsets({ groupId: 'connect-snk', topic: t, partitions: [{ partition: 0, offset: '0' }] });

    const lines: string[] = [];
    const result = await applyProject(projectNamed(name, { topics: [topic(t)] }), {
      ...quiet,
      log: (l) => lines.push(l),
    });
    const notes = Object.fromEntries(result.plan.changes.map((c) => [c.address, c.notes]));
    expect(notes).toMatchObject({ 'source.src': ['offsets_dropped'], 'sink.snk': ['offsets_dropped'] });
    expect(lines.sort()).toEqual([
      expect.stringMatching(/^- sink\.snk: deleted, consumer group deleted/),
      expect.stringMatching(/^- source\.src: deleted, 1 offset dropped/),
    ]);

    const offsets = await readTopicToEnd(kafka(), names.offsets);
    const latest = new Map(offsets.map((r) => [r.key!.toString(), r.value?.toString() ?? null]));
    expect(Object.fromEntries(latest)).toEqual({
      '["src",{"filename":"/tmp/a.txt"}]': null,
      '["other",{"filename":"/tmp/a.txt"}]': '{"position":7}',
    });
    // The tombstone went to the same partition as the offset it deletes.
    const partitions = offsets.filter((r) => r.key!.toString().startsWith('["src"')).map((r) => r.partition);
    expect(new Set(partitions).size).toBe(1);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    await admin.disconnect();
    expect(groups).not.toContain('connect-snk');
  });
});
