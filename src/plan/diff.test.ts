import { describe, expect, it } from 'vitest';
import {
  actual,
  actualTopic,
  desired,
  fileDemo,
  fileDemoApplied,
  managed,
  project,
  recorded,
  sink,
  source,
  topic,
} from '../../test/fixtures/plan/build.js';
import type { DesiredState } from '../config/model.js';
import { plan } from './diff.js';
import type { ActualState } from './model.js';

/** The plan reduced to what a reader checks: address, action, and each attribute's before → after. */
function outline(d: DesiredState, a: ActualState, options = {}) {
  const p = plan(d, a, options);
  return p.changes
    .filter((c) => c.action !== 'no-op')
    .map((c) => ({
      address: c.address,
      action: c.action,
      ...(c.action === 'update' || c.action === 'replace' || c.action === 'adopt'
        ? { attributes: c.attributes.map((x) => [x.path, x.before, x.after]) }
        : {}),
    }));
}

const demo = fileDemo;
const applied = fileDemoApplied;

describe('plan: topics', () => {
  const cases: Array<{ name: string; desired: DesiredState; actual: ActualState; expected: unknown[] }> = [
    {
      name: 'a new project creates every resource, topics before the connectors that use them, in YAML order',
      desired: demo(),
      actual: actual({ stateTopicsExist: false }),
      expected: [
        { address: 'topic.connect-test', action: 'create' },
        { address: 'source.local-file-source', action: 'create' },
        { address: 'sink.local-file-sink', action: 'create' },
      ],
    },
    {
      name: 'an applied project plans nothing',
      desired: demo(),
      actual: applied(),
      expected: [],
    },
    {
      name: 'partitions up is an update in place',
      desired: desired({ topics: [topic('t', { partitions: 6 })] }),
      actual: actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
      expected: [{ address: 'topic.t', action: 'update', attributes: [['partitions', 3, 6]] }],
    },
    {
      name: 'a config added, changed and removed are one update; the removed one resets to the broker default',
      desired: desired({
        topics: [topic('t', { config: { 'retention.ms': '1000', 'segment.ms': '5000' } })],
      }),
      actual: actual({
        topics: { t: actualTopic('t', { config: { 'retention.ms': '2000', 'cleanup.policy': 'compact' } }) },
        managedTopics: { t: managed() },
      }),
      expected: [
        {
          address: 'topic.t',
          action: 'update',
          attributes: [
            ['config.retention.ms', '2000', '1000'],
            ['config.segment.ms', undefined, '5000'],
            ['config.cleanup.policy', 'compact', undefined],
          ],
        },
      ],
    },
    {
      name: 'a replication factor change is a replace',
      desired: desired({ topics: [topic('t', { replicationFactor: 3 })] }),
      actual: actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
      expected: [{ address: 'topic.t', action: 'replace', attributes: [['replicationFactor', 1, 3]] }],
    },
    {
      name: 'an existing topic this project does not manage is adopted, showing what would change',
      desired: desired({ topics: [topic('t', { partitions: 4 })] }),
      actual: actual({ topics: { t: actualTopic('t') } }),
      expected: [{ address: 'topic.t', action: 'adopt', attributes: [['partitions', 3, 4]] }],
    },
    {
      name: 'a managed topic removed from the YAML is deleted',
      desired: desired(),
      actual: actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
      expected: [{ address: 'topic.t', action: 'delete' }],
    },
    {
      name: 'a topic managed by no project, or by another, is never deleted',
      desired: desired(),
      actual: actual({
        topics: { t: actualTopic('t'), u: actualTopic('u') },
        managedTopics: { u: managed('other') },
      }),
      expected: [],
    },
    {
      name: 'a managed topic missing from the cluster is created again',
      desired: desired({ topics: [topic('t')] }),
      actual: actual({ managedTopics: { t: managed() } }),
      expected: [{ address: 'topic.t', action: 'create' }],
    },
  ];
  it.each(cases)('$name', ({ desired: d, actual: a, expected }) => {
    expect(outline(d, a)).toEqual(expected);
  });

  it('refuses partitions down, saying Kafka cannot do it and what to do instead', () => {
    const p = plan(
      desired({ topics: [topic('t', { partitions: 2 })] }),
      actual({ topics: { t: actualTopic('t', { partitions: 6 }) }, managedTopics: { t: managed() } }),
    );
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'PARTITIONS_DECREASE',
        address: 'topic.t',
        summary: expect.stringContaining('Kafka cannot reduce the partitions of a topic'),
        suggestion: expect.stringContaining('create a new topic with 2 partitions'),
      }),
    ]);
  });

  it('never plans to re-create a topic it does not manage', () => {
    const p = plan(
      desired({ topics: [topic('t', { replicationFactor: 3 })] }),
      actual({ topics: { t: actualTopic('t') } }),
    );
    expect(p.changes).toEqual([]);
    expect(p.diagnostics.map((x) => x.code)).toEqual(['UNMANAGED_REPLACE']);
  });

  it('a replace says why: the replication factor cannot change in place', () => {
    const p = plan(
      desired({ topics: [topic('t', { replicationFactor: 3 })] }),
      actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
    );
    expect(p.changes[0]).toMatchObject({ action: 'replace', reason: 'replication_factor_changed' });
  });
});

describe('plan: connectors', () => {
  const appliedWith = (...specs: ReturnType<typeof source>[]) =>
    actual({ connectors: Object.fromEntries(specs.map((s) => [s.name, recorded(s)])) });

  const cases: Array<{ name: string; desired: DesiredState; actual: ActualState; expected: unknown[] }> = [
    {
      name: 'config, tasks and converters change in place',
      desired: desired({
        connectors: [
          source('s', {
            tasks: 2,
            config: { file: '/tmp/b.txt' },
            value: { type: 'json', schemas: false, decimalFormat: 'BASE64' },
          }),
        ],
      }),
      actual: appliedWith(source('s')),
      expected: [
        {
          address: 'source.s',
          action: 'update',
          attributes: [
            ['tasks', 1, 2],
            ['config.file', '/tmp/connectorfile/test.txt', '/tmp/b.txt'],
            ['value.schemas', true, false],
          ],
        },
      ],
    },
    {
      name: 'pausing is an update of the state',
      desired: desired({ connectors: [sink('k', { state: 'paused' })] }),
      actual: appliedWith(sink('k')),
      expected: [{ address: 'sink.k', action: 'update', attributes: [['state', 'running', 'paused']] }],
    },
    {
      name: 'a connector type change is a replace',
      desired: desired({ connectors: [source('s', { connector: 'datagen', config: {} })] }),
      actual: appliedWith(source('s')),
      expected: [
        {
          address: 'source.s',
          action: 'replace',
          attributes: [
            ['connector', 'file', 'datagen'],
            ['config.file', '/tmp/connectorfile/test.txt', undefined],
          ],
        },
      ],
    },
    {
      name: 'a connector removed from the YAML is deleted',
      desired: desired(),
      actual: appliedWith(source('s')),
      expected: [{ address: 'source.s', action: 'delete' }],
    },
    {
      name: 'another project’s connector is left alone',
      desired: desired(),
      actual: actual({ connectors: { s: recorded(source('s'), 'other') } }),
      expected: [],
    },
    {
      name: 'moving a connector in the YAML (its origin) is no change',
      desired: desired({
        connectors: [source('s', { origin: { file: 'pipelines/b.yaml', line: 9, column: 3 } })],
      }),
      actual: appliedWith(source('s')),
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ desired: d, actual: a, expected }) => {
    expect(outline(d, a)).toEqual(expected);
  });

  it('the target-state record, not the spec, says what state a connector is in', () => {
    const a = appliedWith(source('s'));
    a.connectors['s']!.targetState = 'stopped';
    expect(outline(desired({ connectors: [source('s')] }), a)).toEqual([
      { address: 'source.s', action: 'update', attributes: [['state', 'stopped', 'running']] },
    ]);
  });

  describe("changes made through a worker's REST API (worker.http.allowWrites)", () => {
    const rest = { via: 'rest' as const, worker: 'w:1', at: '2026-01-02T00:00:00.000Z' };

    it('a config changed there is an update back to the YAML that says it was changed outside pipe', () => {
      const a = appliedWith(source('s', { tasks: 3 }));
      a.connectors['s']!.record.outsidePipe = { ...rest, created: false };
      const [change] = plan(desired({ connectors: [source('s')] }), a).changes;
      expect(change).toMatchObject({ action: 'update', reason: 'changed_outside_pipe' });
      expect(change?.attributes.map((x) => [x.path, x.before, x.after])).toEqual([['tasks', 3, 1]]);
    });

    it('a connector created there and declared nowhere is a delete that says so', () => {
      const a = appliedWith(source('extra'));
      a.connectors['extra']!.record.outsidePipe = { ...rest, created: true };
      expect(plan(desired(), a).changes).toMatchObject([
        { address: 'source.extra', action: 'delete', reason: 'created_outside_pipe' },
      ]);
    });

    it('a connector of the YAML deleted there is created again, saying it was deleted outside pipe', () => {
      const a = actual({ deletedOutside: { s: { project: 'demo', ...rest } } });
      expect(plan(desired({ connectors: [source('s')] }), a).changes).toMatchObject([
        { address: 'source.s', action: 'create', reason: 'deleted_outside_pipe' },
      ]);
    });

    it('a change there that matches the YAML plans nothing', () => {
      const a = appliedWith(source('s'));
      a.connectors['s']!.record.outsidePipe = { ...rest, created: false };
      expect(outline(desired({ connectors: [source('s')] }), a)).toEqual([]);
    });
  });

  it('deleting a source says its offsets are dropped, and where file offsets go', () => {
    const d = desired({ project: project({ worker: { ...project().worker, offsetStorage: 'file' } }) });
    const [change] = plan(d, appliedWith(source('s'))).changes;
    expect(change).toMatchObject({ action: 'delete', dropsOffsets: true });
    expect(change?.notes).toEqual(['offsets_dropped', 'offset_file_entries_removed']);
  });

  it('deleting a sink says its consumer group goes', () => {
    const [change] = plan(desired(), appliedWith(sink('k'))).changes;
    expect(change).toMatchObject({ kind: 'sink', notes: ['offsets_dropped'] });
  });

  it('marks secrets so no renderer shows them', () => {
    const d = desired({
      connectors: [source('s', { config: { file: '/x', password: 'new' }, sensitive: ['config.password'] })],
    });
    const a = appliedWith(
      source('s', { config: { file: '/x', password: 'old' }, sensitive: ['config.password'] }),
    );
    const [change] = plan(d, a).changes;
    expect(change?.attributes).toEqual([
      { path: 'config.password', before: 'old', after: 'new', sensitive: true },
    ]);
  });

  it('compares a secret by its reference, as the state records hold it, never by its value', () => {
    const withSecret = (password: string, reference: string) =>
      source('s', {
        config: { file: '/x', password },
        sensitive: ['config.password'],
        sealed: { '/config/password': reference },
      });
    const recordedSealed = appliedWith(withSecret('${env:PW}', '${env:PW}'));

    const unchanged = plan(desired({ connectors: [withSecret('s3cret', '${env:PW}')] }), recordedSealed);
    expect(unchanged.changes.map((c) => c.action)).toEqual(['no-op']);
    expect(JSON.stringify(unchanged)).not.toContain('s3cret');

    const moved = plan(desired({ connectors: [withSecret('s3cret', '${env:OTHER}')] }), recordedSealed);
    expect(moved.changes[0]?.attributes).toEqual([
      { path: 'config.password', before: '${env:PW}', after: '${env:OTHER}', sensitive: true },
    ]);
    expect(JSON.stringify(moved)).not.toContain('s3cret');
  });

  it('notes that the embedded worker cannot run connect: connectors', () => {
    const d = desired({ connectors: [source('s', { connector: 'connect:org.example.Source' })] });
    expect(plan(d, actual()).changes[0]?.notes).toEqual(['runtime_cannot_run']);
  });
});

describe('plan: ordering, targets, destroy', () => {
  it('deletes connectors before the topics they used, after creating what replaces them', () => {
    const d = desired({ topics: [topic('new')], connectors: [source('s2', { topic: 'new' })] });
    const a = fileDemoApplied();
    expect(outline(d, a).map((c) => `${c.action} ${c.address}`)).toEqual([
      'create topic.new',
      'delete source.local-file-source',
      'delete sink.local-file-sink',
      'create source.s2',
      'delete topic.connect-test',
    ]);
  });

  it('--target limits the plan to the named addresses and reports unknown ones', () => {
    const p = plan(demo(), actual(), { targets: ['topic.connect-test', 'topic.nope'] });
    expect(p.changes.map((c) => c.address)).toEqual(['topic.connect-test']);
    expect(p.summary).toEqual({ add: 1, change: 0, destroy: 0 });
    expect(p.diagnostics.map((x) => [x.severity, x.code, x.address])).toEqual([
      ['error', 'UNKNOWN_TARGET', 'topic.nope'],
    ]);
  });

  it('--target on a connector brings along the topic it writes to', () => {
    const p = plan(demo(), actual(), { targets: ['source.local-file-source'] });
    expect(p.changes.map((c) => c.address)).toEqual(['topic.connect-test', 'source.local-file-source']);
    expect(p.diagnostics).toEqual([]);
  });

  it('destroy deletes every managed resource and nothing else, keeping protect flags from the YAML', () => {
    const d = fileDemo();
    d.topics[0]!.protect = true;
    const a = fileDemoApplied();
    a.topics['unmanaged'] = actualTopic('unmanaged');
    const p = plan(d, a, { destroy: true });
    expect(p.changes.map((c) => [c.action, c.address, c.protect])).toEqual([
      ['delete', 'source.local-file-source', false],
      ['delete', 'sink.local-file-sink', false],
      ['delete', 'topic.connect-test', true],
    ]);
    expect(p.summary).toEqual({ add: 0, change: 0, destroy: 3 });
  });

  it('counts a replace as one to add and one to destroy, an adopt as a change', () => {
    const d = desired({ topics: [topic('r', { replicationFactor: 2 }), topic('a')] });
    const a = actual({
      topics: { r: actualTopic('r'), a: actualTopic('a') },
      managedTopics: { r: managed() },
    });
    expect(plan(d, a).summary).toEqual({ add: 1, change: 1, destroy: 1 });
  });

  it('is deterministic: the same inputs give the same plan and fingerprints', () => {
    expect(plan(demo(), applied())).toEqual(plan(demo(), applied()));
    const moved = applied();
    moved.topics['connect-test']!.partitions = 4;
    expect(plan(demo(), moved).fingerprint).not.toBe(plan(demo(), applied()).fingerprint);
  });

  it('the desired fingerprint ignores where the project is checked out, but not a value written in the YAML', () => {
    const a = demo();
    const b = demo();
    b.project.dir = '/elsewhere';
    expect(plan(a, actual()).desiredFingerprint).toBe(plan(b, actual()).desiredFingerprint);
    b.connectors[0]!.config['password'] = 'x';
    expect(plan(a, actual()).desiredFingerprint).not.toBe(plan(b, actual()).desiredFingerprint);
  });

  it('the desired fingerprint hashes a secret’s reference, never its value', () => {
    const withSecret = (value: string, reference = '${env:DB_PASSWORD}') => {
      const d = demo();
      d.connectors[0]!.config['password'] = value;
      d.connectors[0]!.sealed = { '/config/password': reference };
      return plan(d, actual()).desiredFingerprint;
    };
    expect(withSecret('secret-a')).toBe(withSecret('secret-b'));
    expect(withSecret('secret-a')).not.toBe(withSecret('secret-a', '${env:OTHER_PASSWORD}'));
  });
});

describe('plan: runtime status', () => {
  it('warns when another apply holds the lock, without it touching the fingerprint', () => {
    const a = fileDemoApplied();
    a.applyInProgress = { holder: 'alice@ci pid 1', since: '2026-01-01T10:00:00.000Z' };
    const p = plan(fileDemo(), a);
    expect(p.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'APPLY_IN_PROGRESS',
        summary:
          'an apply by alice@ci pid 1 has been running since 2026-01-01T10:00:00.000Z: this plan may be outdated once it ends',
      },
    ]);
    expect(p.fingerprint).toBe(plan(fileDemo(), fileDemoApplied()).fingerprint);
  });

  it('warns of each state record it could not read, without it counting as a change', () => {
    const a = fileDemoApplied();
    a.foreignRecords = [
      {
        topic: 'pipe-demo.configs',
        partition: 0,
        offset: '9',
        key: 'connector-x',
        reason: 'the value is not JSON',
      },
    ];
    const p = plan(fileDemo(), a);
    expect(p.summary).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(p.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'FOREIGN_RECORD',
        summary:
          'skipped a record pipe cannot read in pipe-demo.configs partition 0 offset 9 (key connector-x): the value is not JSON; later records of that key still count',
      },
    ]);
    expect(p.fingerprint).toBe(plan(fileDemo(), fileDemoApplied()).fingerprint);
  });

  it('warns about a connector a worker reports FAILED, without it counting as a change', () => {
    const a = fileDemoApplied();
    a.connectors['local-file-sink']!.status = {
      state: 'RUNNING',
      tasks: [{ id: 0, state: 'FAILED', trace: 'java.io.IOException: disk full\n\tat x' }],
    };
    const p = plan(fileDemo(), a);
    expect(p.summary).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(p.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'TASK_FAILED',
        address: 'sink.local-file-sink',
        summary: 'connector local-file-sink task 0 is FAILED: java.io.IOException: disk full',
      },
    ]);
    expect(p.fingerprint).toBe(plan(fileDemo(), fileDemoApplied()).fingerprint);
  });
});

describe('topic config keys the cluster does not know', () => {
  const keys = ['cleanup.policy', 'max.message.bytes', 'retention.bytes', 'retention.ms'];

  it('are problems at plan time, naming the key and the nearest known one', () => {
    const d = desired({
      topics: [topic('orders', { config: { 'retention.msec': '1000', 'cleanup.policy': 'compact' } })],
    });
    const p = plan(d, actual({ topicConfigKeys: keys }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'UNKNOWN_TOPIC_CONFIG',
        address: 'topic.orders',
        summary: 'topic.orders: config "retention.msec" is not a topic config this Kafka cluster knows',
        suggestion: 'did you mean "retention.ms"?',
      },
    ]);
  });

  it('are not checked when no topic could be described', () => {
    const d = desired({ topics: [topic('orders', { config: { 'retention.msec': '1000' } })] });
    expect(plan(d, actual()).changes.map((c) => c.action)).toEqual(['create']);
  });
});

describe('plan: a connector moved to another runtime', () => {
  const cluster = {
    name: 'cluster',
    type: 'connect' as const,
    urls: ['http://127.0.0.1:8083'],
    providers: {},
    secrets: 'references' as const,
    requestTimeoutMs: 1000,
    deadlineMs: 1000,
  };
  const withCluster = (connectors: DesiredState['connectors']) =>
    desired({ project: project({ runtimes: { cluster } }), connectors });
  const live = (dropsOffsets = true) => ({
    cluster: { live: {}, dropsOffsets, version: dropsOffsets ? '3.9.1' : '3.5.1' },
  });
  const src = source('orders', { topic: 't' });
  const snk = sink('orders-out', { topics: ['t'] });

  it('is a move that carries the source offsets, not a delete and a create, and needs no --allow-replace', () => {
    const p = plan(
      withCluster([{ ...src, runtime: 'cluster' }]),
      actual({
        topics: { t: actualTopic('t') },
        connectors: { orders: recorded(src) },
        runtimes: live(),
        moves: { orders: { offsets: 3, sameKafka: true } },
      }),
    );
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const change = p.changes[0];
    expect(change).toMatchObject({
      address: 'source.orders',
      action: 'move',
      dropsOffsets: false,
      move: { from: 'embedded', to: 'cluster', offsetsCarried: 3, groupKept: false },
    });
    expect(p.summary).toEqual({ add: 0, change: 1, destroy: 0 });
  });

  it('keeps a sink consumer group when both runtimes use the same Kafka cluster, and carries it otherwise', () => {
    const moved = withCluster([{ ...snk, runtime: 'cluster' }]);
    const base = { connectors: { 'orders-out': recorded(snk) }, runtimes: live() };
    const same = plan(moved, actual({ ...base, moves: { 'orders-out': { offsets: 1, sameKafka: true } } }));
    expect(same.changes[0]).toMatchObject({ action: 'move', move: { groupKept: true, offsetsCarried: 0 } });
    const other = plan(moved, actual({ ...base, moves: { 'orders-out': { offsets: 1, sameKafka: false } } }));
    expect(other.changes[0]).toMatchObject({ action: 'move', move: { groupKept: false, offsetsCarried: 1 } });
  });

  it('back to the embedded runtime is a move too', () => {
    const p = plan(
      withCluster([src]),
      actual({
        connectors: { orders: recorded({ ...src, runtime: 'cluster' }) },
        runtimes: live(),
        moves: { orders: { offsets: 1, sameKafka: true } },
      }),
    );
    expect(p.changes[0]).toMatchObject({
      action: 'move',
      move: { from: 'cluster', to: 'embedded', offsetsCarried: 1 },
    });
  });

  it('is an error naming the runtime when a Kafka Connect cluster before 3.6 would have to write the offsets', () => {
    const p = plan(
      withCluster([{ ...src, runtime: 'cluster' }]),
      actual({
        connectors: { orders: recorded(src) },
        runtimes: live(false),
        moves: { orders: { offsets: 2, sameKafka: true } },
      }),
    );
    expect(p.changes).toEqual([]);
    expect(p.diagnostics[0]).toMatchObject({ severity: 'error', code: 'MOVE_WITHOUT_OFFSETS' });
    expect(p.diagnostics[0]?.summary).toContain(
      'runtime "cluster" cannot write offsets (Kafka Connect 3.6 and later can), so its 2 offsets cannot be carried over',
    );
  });

  it('leaves a Kafka Connect 3.5 cluster with its offsets (3.5 reads them), and enters one only with none to write', () => {
    const old = { cluster: { live: {}, dropsOffsets: false, readsOffsets: true, version: '3.5.2' } };
    const out = plan(
      withCluster([src]),
      actual({
        topics: { t: actualTopic('t') },
        connectors: { orders: recorded({ ...src, runtime: 'cluster' }) },
        runtimes: old,
        moves: { orders: { offsets: 1, sameKafka: true } },
      }),
    );
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.changes[0]).toMatchObject({ action: 'move', move: { from: 'cluster', offsetsCarried: 1 } });
    const keptGroup = plan(
      withCluster([{ ...snk, runtime: 'cluster' }]),
      actual({
        connectors: { 'orders-out': recorded(snk) },
        runtimes: old,
        moves: { 'orders-out': { offsets: 1, sameKafka: true } },
      }),
    );
    expect(keptGroup.changes[0]).toMatchObject({ action: 'move', move: { groupKept: true } });
  });

  it('is an error naming the runtime when a Kafka Connect cluster before 3.5 cannot read the offsets', () => {
    const p = plan(
      withCluster([src]),
      actual({
        connectors: { orders: recorded({ ...src, runtime: 'cluster' }) },
        runtimes: { cluster: { live: {}, dropsOffsets: false, readsOffsets: false, version: '3.4.1' } },
        moves: { orders: { offsets: null, sameKafka: true } },
      }),
    );
    expect(p.diagnostics[0]?.summary).toContain(
      'moves from runtime "cluster" to "embedded", but runtime "cluster" has no offsets API (Kafka Connect 3.5 and later can read them)',
    );
  });

  it('is still a replace when the kind or type changes with the runtime', () => {
    const p = plan(
      withCluster([{ ...src, connector: 'connect:com.example.Other', runtime: 'cluster' }]),
      actual({
        connectors: { orders: recorded(src) },
        runtimes: live(),
        moves: { orders: { offsets: 2, sameKafka: true } },
      }),
    );
    expect(p.changes[0]).toMatchObject({ action: 'replace', reason: 'runtime_changed' });
  });
});

describe('plan: a connector renamed with moved:', () => {
  const oldSink = sink('events-out', { topics: ['t'] });
  const newSink = sink('events-file', { topics: ['t'] });
  const moved = (from: string, to: string) => ({
    from: from as `sink.${string}`,
    to: to as `sink.${string}`,
    origin: { file: 'pipelines/p.yaml', line: 9, column: 3 },
  });
  const applied = (moves: ActualState['moves'] = { 'events-file': { offsets: 1, sameKafka: true } }) =>
    actual({ topics: { t: actualTopic('t') }, connectors: { 'events-out': recorded(oldSink) }, moves });

  it('is one move under the new name that carries the old group commits, with no delete of the old name', () => {
    const p = plan(
      desired({ connectors: [newSink], moved: [moved('sink.events-out', 'sink.events-file')] }),
      applied(),
    );
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(p.changes.filter((c) => c.action !== 'no-op')).toMatchObject([
      {
        address: 'sink.events-file',
        action: 'move',
        attributes: [],
        move: {
          from: 'embedded',
          to: 'embedded',
          offsetsCarried: 1,
          groupKept: false,
          renamedFrom: 'events-out',
        },
      },
    ]);
  });

  it('undeclared, says the new connector starts from scratch and how to declare the move', () => {
    const p = plan(desired({ connectors: [newSink] }), applied());
    expect(p.changes.map((c) => c.action)).toEqual(['delete', 'create']);
    const warning = p.diagnostics.find((d) => d.code === 'UNDECLARED_RENAME');
    expect(warning?.summary).toBe(
      "sink.events-file is created and sink.events-out deleted: if this is a rename, sink.events-file starts from scratch (it reads its topics from the start again) and sink.events-out's offsets are dropped",
    );
    expect(warning?.suggestion).toBe(
      'to keep its place, declare the rename in its pipeline file: moved: { from: sink.events-out, to: sink.events-file }',
    );
  });

  it('once applied (the old name gone), is harmless; a declaration that cannot hold is an error at its line', () => {
    const done = plan(
      desired({ connectors: [newSink], moved: [moved('sink.events-out', 'sink.events-file')] }),
      actual({ topics: { t: actualTopic('t') }, connectors: { 'events-file': recorded(newSink) } }),
    );
    expect(done.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    expect(done.diagnostics.filter((d) => d.code !== 'UNMANAGED_TOPIC')).toEqual([]);
    const wrong = plan(
      desired({ connectors: [newSink, oldSink], moved: [moved('sink.events-out', 'sink.nothing')] }),
      applied(),
    );
    expect(
      wrong.diagnostics.filter((d) => d.code === 'MOVED_INVALID').map((d) => [d.summary, d.source?.line]),
    ).toEqual([
      ['moved from sink.events-out to sink.nothing: sink.nothing names no sink of this project', 9],
    ]);
  });
});
