/**
 * The planner's promises for connectors on a Kafka Connect runtime that need
 * no cluster to check: an older cluster keeps offsets (and the plan says
 * so), and `secrets: resolve` sends values with a warning in every plan.
 */
import { describe, expect, it } from 'vitest';
import {
  actual,
  connectRuntime,
  desired,
  project,
  recorded,
  source,
} from '../../test/fixtures/plan/build.js';
import { toConnectConfig } from '../runtime/connect/mapping.js';
import { plan } from './diff.js';

describe('a plan for a Kafka Connect runtime', () => {
  it('says a connector deleted on a cluster older than 3.6 keeps its offsets', () => {
    const applied = source('orders', { runtime: 'cluster' });
    const live = { orders: { name: 'orders', config: {}, state: 'running' as const } };
    const state = (dropsOffsets: boolean) =>
      actual({ connectors: { orders: recorded(applied) }, runtimes: { cluster: { live, dropsOffsets } } });
    const d = desired({ project: project({ runtimes: { cluster: connectRuntime() } }) });

    const old = plan(d, state(false)).changes.find((c) => c.address === 'source.orders');
    expect(old).toMatchObject({ action: 'delete', dropsOffsets: false, notes: ['offsets_kept'] });

    const recent = plan(d, state(true)).changes.find((c) => c.address === 'source.orders');
    expect(recent).toMatchObject({ action: 'delete', dropsOffsets: true, notes: ['offsets_dropped'] });
  });

  it('says a deleted Debezium PostgreSQL source leaves its replication slot, unless it drops it on stop', () => {
    const debezium = (config: Record<string, unknown>) =>
      source('cdc', {
        runtime: 'cluster',
        connector: 'connect:io.debezium.connector.postgresql.PostgresConnector',
        config: { 'slot.name': 'orders_slot', ...config },
      });
    const deleting = (applied: ReturnType<typeof source>) =>
      plan(
        desired({ project: project({ runtimes: { cluster: connectRuntime() } }) }),
        actual({
          connectors: { cdc: recorded(applied) },
          runtimes: {
            cluster: { live: { cdc: { name: 'cdc', config: {}, state: 'running' } }, dropsOffsets: true },
          },
        }),
      ).changes.find((c) => c.address === 'source.cdc');

    expect(deleting(debezium({}))?.notes).toEqual(['offsets_dropped', 'replication_slot_kept']);
    expect(deleting(debezium({ 'slot.drop.on.stop': true }))?.notes).toEqual(['offsets_dropped']);
    expect(
      deleting(source('cdc', { runtime: 'cluster', connector: 'connect:io.example.Source' }))?.notes,
    ).toEqual(['offsets_dropped']);
  });

  it('with secrets: resolve, sends the value and warns in every plan; otherwise only the reference', () => {
    const spec = source('orders', {
      runtime: 'cluster',
      connector: 'connect:io.example.Source',
      config: { password: 'hunter2-value' },
      sensitive: ['config.password'],
      sealed: { '/config/password': '${env:PW}' },
    });
    const resolve = connectRuntime({ secrets: 'resolve' });
    const sent = toConnectConfig(spec, resolve, '/tmp');
    expect(sent).toMatchObject({ ok: true, sentSecretValues: true, config: { password: 'hunter2-value' } });
    const referenced = toConnectConfig(spec, connectRuntime(), '/tmp');
    expect(referenced).toMatchObject({
      ok: true,
      sentSecretValues: false,
      config: { password: '${env:PW}' },
    });

    const live = { cluster: { live: {}, dropsOffsets: true } };
    const withResolve = plan(
      desired({ project: project({ runtimes: { cluster: resolve } }), connectors: [spec] }),
      actual({ runtimes: live }),
    );
    expect(withResolve.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'SECRETS_RESOLVED',
        summary: expect.stringContaining('keeps them in clear in its config topic'),
      }),
    );
    const withReferences = plan(
      desired({ project: project({ runtimes: { cluster: connectRuntime() } }), connectors: [spec] }),
      actual({ runtimes: live }),
    );
    expect(withReferences.diagnostics.map((d) => d.code)).not.toContain('SECRETS_RESOLVED');
  });

  it('refuses a secret the runtime has no config provider for, naming the field, on a create and on a move', () => {
    const spec = source('orders', {
      runtime: 'cluster',
      connector: 'connect:io.example.Source',
      config: { password: 'hunter2-value' },
      sensitive: ['config.password'],
      sealed: { '/config/password': '${file:secrets/pw.txt}' },
    });
    const live = { cluster: { live: {}, dropsOffsets: true } };
    const withoutDir = desired({
      project: project({ runtimes: { cluster: connectRuntime() } }),
      connectors: [spec],
    });
    const refused = expect.objectContaining({
      severity: 'error',
      code: 'RUNTIME_SECRETS',
      address: 'source.orders',
      summary:
        '${file:secrets/pw.txt} must reach Kafka Connect as a reference, and runtime "cluster" has no dir config provider',
      suggestion: expect.stringContaining('DirectoryConfigProvider'),
    });

    const created = plan(withoutDir, actual({ runtimes: live }));
    expect(created.diagnostics).toContainEqual(refused);
    expect(created.changes).toEqual([]);

    const moved = plan(
      withoutDir,
      actual({
        connectors: { orders: recorded({ ...spec, runtime: undefined }) },
        runtimes: live,
        moves: { orders: { offsets: 0, sameKafka: true } },
      }),
    );
    expect(moved.diagnostics).toContainEqual(refused);
    expect(moved.changes).toEqual([]);

    const withDir = desired({
      project: project({ runtimes: { cluster: connectRuntime({ providers: { env: 'env', dir: 'dir' } }) } }),
      connectors: [spec],
    });
    expect(plan(withDir, actual({ runtimes: live })).diagnostics.map((d) => d.code)).not.toContain(
      'RUNTIME_SECRETS',
    );
  });
});
