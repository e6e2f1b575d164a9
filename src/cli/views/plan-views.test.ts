import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  actual,
  actualTopic,
  connectRuntime,
  desired,
  fileDemo,
  fileDemoApplied,
  managed,
  project,
  recorded,
  sink,
  source,
  topic,
} from '../../../test/fixtures/plan/build.js';
import { plan } from '../../plan/diff.js';
import { planJsonText } from '../../plan/plan-json.js';
import { renderHuman } from './plan-human.js';
import { renderMarkdown } from './plan-markdown.js';
import { wantsColour } from './terminal.js';

const golden = (name: string) => `../../../test/fixtures/plan/${name}`;

/** One plan with every action, a secret, a reset config and dropped offsets. */
function everyAction() {
  const d = desired({
    topics: [
      topic('orders', {
        partitions: 6,
        config: { 'retention.ms': '86400000', 'max.message.bytes': '2000000' },
      }),
      topic('payments', { replicationFactor: 3 }),
      topic('legacy'),
      topic('fresh', { config: { 'cleanup.policy': 'compact' } }),
    ],
    connectors: [
      source('orders-in', { topic: 'orders' }),
      sink('orders-out', {
        topics: ['orders'],
        config: { file: '/tmp/out.txt', token: 'new-secret' },
        sensitive: ['config.token'],
      }),
      source('gen', { connector: 'datagen', topic: 'orders', config: {} }),
      source('mover', { topic: 'orders', config: { file: '/tmp/in.txt' }, runtime: 'cluster' }),
    ],
  });
  d.project.environment = 'prod';
  d.project.runtimes = {
    cluster: {
      name: 'cluster',
      type: 'connect',
      urls: ['http://127.0.0.1:8083'],
      providers: {},
      secrets: 'references',
      requestTimeoutMs: 1000,
      deadlineMs: 1000,
    },
  };
  const a = actual({
    topics: {
      orders: actualTopic('orders', { config: { 'retention.ms': '604800000', 'segment.ms': '3600000' } }),
      payments: actualTopic('payments'),
      legacy: actualTopic('legacy', { partitions: 1 }),
      old: actualTopic('old'),
    },
    managedTopics: { orders: managed(), payments: managed(), old: managed() },
    connectors: {
      'orders-out': recorded(
        sink('orders-out', {
          topics: ['orders'],
          config: { file: '/tmp/out.txt', token: 'old-secret' },
          sensitive: ['config.token'],
        }),
      ),
      gen: recorded(source('gen', { topic: 'orders' })),
      retired: recorded(source('retired')),
      mover: recorded(source('mover', { topic: 'orders', config: { file: '/tmp/in.txt' } })),
    },
    runtimes: { cluster: { live: {}, dropsOffsets: true, version: '3.9.1' } },
    moves: { mover: { offsets: 1, sameKafka: true } },
  });
  return plan(d, a);
}

describe('renderers', () => {
  it('human: marks, attribute changes, reasons, notes, summary', async () => {
    await expect(renderHuman(everyAction(), { colour: false })).toMatchFileSnapshot(
      golden('every-action.human.txt'),
    );
  });

  it('human: the file demo exactly as docs/PLAN.md shows it', async () => {
    const text = renderHuman(plan(fileDemo(), actual()), { colour: false });
    await expect(text).toMatchFileSnapshot(golden('file-demo.human.txt'));
    const doc = readFileSync(new URL('../../../docs/PLAN.md', import.meta.url), 'utf8');
    const example = /## Human output\n\n```\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBe(text);
  });

  it('human: a deleted Debezium source names the replication slot it leaves and how to drop it', () => {
    const cdc = source('cdc', {
      runtime: 'cluster',
      connector: 'connect:io.debezium.connector.postgresql.PostgresConnector',
      config: { 'slot.name': 'orders_slot', 'database.hostname': 'db1', 'database.dbname': 'shop' },
    });
    const p = plan(
      desired({
        project: project({ runtimes: { cluster: connectRuntime() } }),
      }),
      actual({
        connectors: { cdc: recorded(cdc) },
        runtimes: {
          cluster: { live: { cdc: { name: 'cdc', config: {}, state: 'running' } }, dropsOffsets: true },
        },
      }),
    );
    expect(renderHuman(p, { colour: false })).toContain(
      `replication slot "orders_slot" on db1/shop stays (Kafka Connect does not drop it) and keeps the server's WAL from now on: once nothing will resume from it, drop it with SELECT pg_drop_replication_slot('orders_slot')`,
    );
  });

  it('human: an empty plan says so', () => {
    expect(renderHuman(plan(fileDemo(), fileDemoApplied()), { colour: false })).toBe(
      'No changes: the cluster matches the configuration.\n',
    );
  });

  it('human: colours only when asked, never leaking a secret either way', () => {
    const p = everyAction();
    expect(renderHuman(p, { colour: true })).toContain(`\u001b[32m  +\u001b[0m \u001b[1mtopic.fresh`);
    expect(renderHuman(p, { colour: false })).not.toContain('\u001b[');
    for (const text of [renderHuman(p, { colour: true }), planJsonText(p), renderMarkdown(p)]) {
      expect(text).not.toContain('secret');
    }
  });

  it('colour follows the terminal and NO_COLOR', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
  });

  it('json: the documented shape', async () => {
    const json = JSON.parse(planJsonText(everyAction()));
    expect(json.format_version).toBe('2');
    expect(json.summary).toEqual({ add: 4, change: 4, destroy: 4 });
    await expect(planJsonText(everyAction())).toMatchFileSnapshot(golden('every-action.plan.json'));
  });

  it('markdown: a plan that cannot be made says why, for the pull request to show', () => {
    const p = plan(
      desired({ topics: [topic('t', { partitions: 1 })] }),
      actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
    );
    expect(renderMarkdown(p)).toBe(
      [
        '### pipe plan: project `demo`',
        '',
        '**The plan cannot be made:**',
        '',
        '- topic.t: partitions cannot go down from 3 to 1, because Kafka cannot reduce the partitions of a topic  ',
        '  _keep partitions: 3, or create a new topic with 1 partition, move producers and consumers to it, then remove this one_',
        '',
      ].join('\n'),
    );
  });

  it('markdown: a pull-request comment', async () => {
    await expect(renderMarkdown(everyAction())).toMatchFileSnapshot(golden('every-action.md'));
  });

  describe('--show-unmanaged', () => {
    const cluster = {
      live: {
        'legacy-jdbc': {
          name: 'legacy-jdbc',
          config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector' },
          state: 'running' as const,
        },
      },
      dropsOffsets: true,
    };
    const applied = () => plan(fileDemo(), { ...fileDemoApplied(), runtimes: { cluster } });
    const fresh = () => plan(fileDemo(), actual({ runtimes: { cluster } }));

    it('human: lists the connectors no project manages only when asked, after the summary', () => {
      expect(renderHuman(applied(), { colour: false })).not.toContain('legacy-jdbc');
      expect(renderHuman(applied(), { colour: false, showUnmanaged: true })).toBe(
        [
          'No changes: the cluster matches the configuration.',
          '',
          'Unmanaged connectors on Kafka Connect runtimes (no pipe project manages them; pipe never changes or deletes them):',
          '  cluster/legacy-jdbc',
          '',
        ].join('\n'),
      );
      const text = renderHuman(fresh(), { colour: false, showUnmanaged: true });
      expect(text).toContain('Plan: 3 to add, 0 to change, 0 to destroy.\n\nUnmanaged connectors');
      expect(text).toContain('\n  cluster/legacy-jdbc\n');
      expect(text).not.toMatch(/[+~-] .*legacy-jdbc/);
    });

    it('human: says so when asked and there are none', () => {
      expect(renderHuman(plan(fileDemo(), fileDemoApplied()), { colour: false, showUnmanaged: true })).toBe(
        'No changes: the cluster matches the configuration.\n\nUnmanaged connectors: none on the Kafka Connect runtimes read.\n',
      );
    });

    it('markdown: a list under the table, only when asked', () => {
      expect(renderMarkdown(fresh())).not.toContain('legacy-jdbc');
      const text = renderMarkdown(fresh(), { showUnmanaged: true });
      expect(text).toContain(
        '**Unmanaged connectors on Kafka Connect runtimes (no pipe project manages them; pipe never changes or deletes them):**\n\n- `cluster/legacy-jdbc`\n',
      );
      expect(text.indexOf('cluster/legacy-jdbc')).toBeLessThan(text.indexOf('<details>'));
      expect(renderMarkdown(applied(), { showUnmanaged: true })).toContain('- `cluster/legacy-jdbc`');
    });

    it('json: an unmanaged list only when asked; the changes never name them', () => {
      expect(JSON.parse(planJsonText(applied()))).not.toHaveProperty('unmanaged');
      const json = JSON.parse(planJsonText(fresh(), { withUnmanaged: true }));
      expect(json.unmanaged).toEqual(['cluster/legacy-jdbc']);
      expect(json.changes.map((c: { address: string }) => c.address)).not.toContain('source.legacy-jdbc');
      expect(
        JSON.parse(planJsonText(plan(fileDemo(), fileDemoApplied()), { withUnmanaged: true })).unmanaged,
      ).toEqual([]);
    });
  });
});
