import { describe, expect, it } from 'vitest';
import { sink, source } from '../../test/fixtures/plan/build.js';
import { recordMaker } from '../../test/fixtures/state/records.js';
import { parseConfigsTopic } from '../plan/read-state.js';
import { foldStatusTopic } from '../state/status-topic.js';
import { statusReport } from './status-report.js';

const now = new Date('2026-01-01T00:00:10Z');
const metrics = (recordsOut: number, rate: number, lag?: number) => ({
  recordsIn: recordsOut,
  recordsOut,
  recordsFailed: 0,
  rate,
  ...(lag === undefined ? {} : { lag }),
  updatedAt: now.toISOString(),
});
const applied = (spec: ReturnType<typeof source>, project = 'p') => {
  const { origin: _origin, ...rest } = spec;
  return { project, spec: rest, appliedAt: '2026-01-01T00:00:00.000Z' };
};
const r = recordMaker();
const configRecords = [
  r.json('connector-sink', applied(sink('sink'))),
  r.json('target-state-sink', { state: 'PAUSED', 'state.v2': 'PAUSED' }),
  r.json('connector-src', applied(source('src'))),
  r.json('connector-theirs', applied(source('theirs'), 'other-project')),
];
const heartbeat = (heartbeatAt: string, project = 'p', worker_id = 'w1') => ({
  worker_id,
  project,
  startedAt: '2026-01-01T00:00:00Z',
  heartbeatAt,
});
const report = (statusRecords: Parameters<typeof foldStatusTopic>[1], configs = configRecords) =>
  statusReport(parseConfigsTopic('p.configs', configs), foldStatusTopic('p.status', statusRecords), 'p', now);

describe('statusReport', () => {
  it('sums task counters per connector and takes the first error line', () => {
    const result = report([
      r.json('status-worker-w1', heartbeat('2026-01-01T00:00:08Z')),
      r.json('status-connector-sink', { state: 'PAUSED', trace: null, worker_id: 'w1', generation: 1 }),
      r.json('status-task-sink-1', {
        state: 'FAILED',
        trace: 'boom\n  at x',
        worker_id: 'w1',
        generation: 1,
        metrics: metrics(3, 2, 4),
      }),
      r.json('status-task-sink-0', {
        state: 'PAUSED',
        trace: null,
        worker_id: 'w1',
        generation: 1,
        metrics: metrics(5, 1, 2),
      }),
    ]);
    expect(result.workers.map((w) => w.worker_id)).toEqual(['w1']);
    expect(result.connectors[0]).toMatchObject({
      name: 'sink',
      target: 'paused',
      state: 'PAUSED',
      recordsOut: 8,
      rate: 3,
      lag: 6,
      lastError: 'boom',
    });
    expect(result.connectors[0]?.tasks.map((t) => t.state)).toEqual(['PAUSED', 'FAILED']);
    expect(result.diagnostics).toEqual([]);
  });

  it('shows connectors no worker reported as UNASSIGNED, as when no worker runs at all', () => {
    const result = report([
      r.json('status-worker-w1', heartbeat('2025-12-31T23:59:00Z')),
      r.json('status-connector-src', { state: 'RUNNING', trace: null, worker_id: 'w1', generation: 1 }),
    ]);
    expect(result.workers).toEqual([]);
    expect(result.connectors.map((c) => [c.name, c.state, c.lag])).toEqual([
      ['sink', 'UNASSIGNED', null],
      ['src', 'UNASSIGNED', null],
    ]);
  });

  it('counts only this project’s connectors and workers, as plan and apply do', () => {
    const result = report([
      r.json('status-worker-w2', heartbeat('2026-01-01T00:00:08Z', 'other-project', 'w2')),
      r.json('status-connector-src', { state: 'RUNNING', trace: null, worker_id: 'w2', generation: 1 }),
    ]);
    expect(result.workers).toEqual([]);
    expect(result.connectors.map((c) => [c.name, c.state])).toEqual([
      ['sink', 'UNASSIGNED'],
      ['src', 'UNASSIGNED'],
    ]);
  });

  it('skips records it cannot read with a warning naming topic, partition and offset, and does not crash', () => {
    const nameless = r.raw('connector-x', '{"project":"p","spec":{"kind":"source"},"appliedAt":""}');
    const traceNotText = r.json('status-task-src-0', {
      state: 'FAILED',
      trace: 7,
      worker_id: 'w1',
      generation: 1,
    });
    const result = report(
      [
        r.json('status-worker-w1', heartbeat('2026-01-01T00:00:08Z')),
        traceNotText,
        r.raw('status-connector-src', 'ÿ'),
      ],
      [...configRecords, nameless],
    );
    expect(result.connectors.map((c) => c.name)).toEqual(['sink', 'src']);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'FOREIGN_RECORD'],
      ['warning', 'FOREIGN_RECORD'],
      ['warning', 'FOREIGN_RECORD'],
    ]);
    expect(result.diagnostics.map((d) => d.summary)).toEqual([
      `skipped a record pipe cannot read in p.configs partition 0 offset ${nameless.offset} (key connector-x): not a pipe connector record: field spec.name is not a string; later records of that key still count`,
      `skipped a record pipe cannot read in p.status partition 0 offset ${traceNotText.offset} (key status-task-src-0): not a status record: field trace is not a string; later records of that key still count`,
      expect.stringContaining('(key status-connector-src): the value is not JSON'),
    ]);
  });

  describe('a connector on a Kafka Connect runtime', () => {
    const onCluster = r.json('managed-connector-cdc', applied(source('cdc', { runtime: 'cluster' })));
    const status = {
      connectors: {
        cdc: {
          state: 'RUNNING' as const,
          workerId: '10.0.0.1:8083',
          tasks: [
            { id: 0, state: 'RUNNING' as const, workerId: '10.0.0.1:8083', trace: null },
            {
              id: 1,
              state: 'FAILED' as const,
              workerId: '10.0.0.2:8083',
              trace: 'org.apache.kafka.connect.errors.ConnectException: no route\n\tat Task.poll',
            },
          ],
        },
        'someone-elses': { state: 'RUNNING' as const, tasks: [] },
      },
      liveWorkers: [],
    };
    const urls = ['http://a:8083', 'http://b:8083'];

    it('takes states, worker ids and traces from the cluster, without counters, beside the embedded ones', () => {
      const result = statusReport(
        parseConfigsTopic('p.configs', [...configRecords, onCluster]),
        foldStatusTopic('p.status', [r.json('status-worker-w1', heartbeat('2026-01-01T00:00:08Z'))]),
        'p',
        now,
        { cluster: { urls, read: { ok: true, status } } },
      );
      expect(result.connectors.map((c) => [c.name, c.runtime])).toEqual([
        ['cdc', 'cluster'],
        ['sink', 'embedded'],
        ['src', 'embedded'],
      ]);
      expect(result.connectors[0]).toMatchObject({
        state: 'RUNNING',
        workerId: '10.0.0.1:8083',
        target: 'running',
        recordsIn: null,
        rate: null,
        lastError: 'org.apache.kafka.connect.errors.ConnectException: no route',
      });
      expect(result.connectors[0]?.tasks).toEqual([
        { task: 0, state: 'RUNNING', workerId: '10.0.0.1:8083', error: null, metrics: null },
        {
          task: 1,
          state: 'FAILED',
          workerId: '10.0.0.2:8083',
          error: 'org.apache.kafka.connect.errors.ConnectException: no route',
          trace: 'org.apache.kafka.connect.errors.ConnectException: no route\n\tat Task.poll',
          metrics: null,
        },
      ]);
      expect(result.runtimes).toEqual([
        { name: 'cluster', urls, workers: ['10.0.0.1:8083', '10.0.0.2:8083'] },
      ]);
      expect(result.connectors.map((c) => c.name)).not.toContain('someone-elses');
    });

    it('says when the connector is gone from the cluster, or the cluster did not answer', () => {
      const configs = parseConfigsTopic('p.configs', [onCluster]);
      const gone = statusReport(configs, foldStatusTopic('p.status', []), 'p', now, {
        cluster: { urls, read: { ok: true, status: { connectors: {}, liveWorkers: [] } } },
      });
      expect(gone.connectors[0]).toMatchObject({
        state: 'UNASSIGNED',
        error: 'not on runtime "cluster" (deleted outside pipe? pipe apply creates it again)',
      });
      const down = statusReport(configs, foldStatusTopic('p.status', []), 'p', now, {
        cluster: {
          urls,
          read: { ok: false, code: 'RUNTIME_UNREACHABLE', error: 'tried http://a:8083 (refused)' },
        },
      });
      expect(down.connectors[0]).toMatchObject({
        state: 'UNASSIGNED',
        error: 'runtime "cluster" could not be read',
      });
      expect(down.runtimes).toEqual([
        { name: 'cluster', urls, workers: [], error: 'tried http://a:8083 (refused)' },
      ]);
      expect(down.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'RUNTIME_UNREACHABLE']]);
    });
  });
});
