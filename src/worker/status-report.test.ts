import { describe, expect, it } from 'vitest';
import { statusReport } from './status-report.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const now = new Date('2026-01-01T00:00:10Z');
const metrics = (recordsOut: number, rate: number, lag?: number) => ({
  recordsIn: recordsOut,
  recordsOut,
  recordsFailed: 0,
  rate,
  ...(lag === undefined ? {} : { lag }),
  updatedAt: now.toISOString(),
});
const configs = new Map([
  [
    'connector-sink',
    json({ project: 'p', spec: { name: 'sink', kind: 'sink', connector: 'file' }, appliedAt: '' }),
  ],
  ['target-state-sink', json({ state: 'PAUSED', 'state.v2': 'PAUSED' })],
  [
    'connector-src',
    json({ project: 'p', spec: { name: 'src', kind: 'source', connector: 'file' }, appliedAt: '' }),
  ],
]);
const heartbeat = json({ worker_id: 'w1', project: 'p', startedAt: '', heartbeatAt: '2026-01-01T00:00:08Z' });

describe('statusReport', () => {
  it('sums task counters per connector and takes the first error line', () => {
    const status = new Map([
      ['status-worker-w1', heartbeat],
      ['status-connector-sink', json({ state: 'PAUSED', trace: null, worker_id: 'w1', generation: 1 })],
      [
        'status-task-sink-0',
        json({ state: 'PAUSED', trace: null, worker_id: 'w1', generation: 1, metrics: metrics(5, 1, 2) }),
      ],
      [
        'status-task-sink-1',
        json({
          state: 'FAILED',
          trace: 'boom\n  at x',
          worker_id: 'w1',
          generation: 1,
          metrics: metrics(3, 2, 4),
        }),
      ],
    ]);
    const report = statusReport(configs, status, now);
    expect(report.workers.map((w) => w.worker_id)).toEqual(['w1']);
    expect(report.connectors[0]).toMatchObject({
      name: 'sink',
      target: 'paused',
      state: 'PAUSED',
      recordsOut: 8,
      rate: 3,
      lag: 6,
      lastError: 'boom',
    });
    expect(report.connectors[0]!.tasks.map((t) => t.state)).toEqual(['PAUSED', 'FAILED']);
  });

  it('shows connectors no worker reported as UNASSIGNED, as when no worker runs at all', () => {
    const stale = json({ worker_id: 'w1', project: 'p', startedAt: '', heartbeatAt: '2025-12-31T23:59:00Z' });
    const status = new Map([
      ['status-worker-w1', stale],
      ['status-connector-src', json({ state: 'RUNNING', trace: null, worker_id: 'w1', generation: 1 })],
    ]);
    const report = statusReport(configs, status, now);
    expect(report.workers).toEqual([]);
    expect(report.connectors.map((c) => [c.name, c.state, c.lag])).toEqual([
      ['sink', 'UNASSIGNED', null],
      ['src', 'UNASSIGNED', null],
    ]);
  });
});
