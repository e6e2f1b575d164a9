import { describe, expect, it } from 'vitest';
import { recordMaker } from '../../test/fixtures/state/records.js';
import { foldStatusTopic } from '../state/status-topic.js';
import { runtimeStatus, statusKeysByConnector } from './status.js';

const r = recordMaker();
const status = (state: string, trace: string | null = null) => ({
  state,
  trace,
  worker_id: 'w1',
  generation: 1,
});
const now = new Date('2026-01-01T00:01:00.000Z');
const heartbeat = (project: string, at: string) => ({
  worker_id: 'w1',
  project,
  startedAt: at,
  heartbeatAt: at,
});
const parse = (records: Parameters<typeof foldStatusTopic>[1]) =>
  runtimeStatus(foldStatusTopic('demo.status', records), 'demo', now);

describe('runtimeStatus', () => {
  it('gathers each connector’s latest state and its tasks, task names with dashes included', () => {
    const parsed = parse([
      r.json('status-connector-a-1', status('UNASSIGNED')),
      r.json('status-connector-a-1', status('RUNNING'), 2000),
      r.json('status-task-a-1-1', status('FAILED', 'boom')),
      r.json('status-task-a-1-0', status('RUNNING')),
      r.json('status-connector-gone', status('RUNNING')),
      r.json('status-connector-gone', null),
    ]);
    expect(parsed.connectors).toEqual({
      'a-1': {
        state: 'RUNNING',
        workerId: 'w1',
        trace: null,
        reportedAt: 2000,
        tasks: [
          { id: 0, state: 'RUNNING', trace: null },
          { id: 1, state: 'FAILED', trace: 'boom' },
        ],
      },
    });
  });

  it('counts a worker as live only for its project and while its heartbeat is fresh and not from the future', () => {
    const parsed = parse([
      r.json('status-worker-fresh', heartbeat('demo', '2026-01-01T00:00:55.000Z')),
      r.json('status-worker-stale', heartbeat('demo', '2026-01-01T00:00:30.000Z')),
      r.json('status-worker-other', heartbeat('other', '2026-01-01T00:00:59.000Z')),
      r.json('status-worker-stopped', heartbeat('demo', '2026-01-01T00:00:59.000Z')),
      r.json('status-worker-stopped', null),
      r.json('status-worker-skewed', heartbeat('demo', '2026-01-01T00:01:05.000Z')),
      r.json('status-worker-future', heartbeat('demo', '2099-01-01T00:00:00.000Z')),
    ]);
    expect(parsed.liveWorkers.map((w) => w.heartbeatAt)).toEqual([
      '2026-01-01T00:00:55.000Z',
      '2026-01-01T00:01:05.000Z',
    ]);
  });

  it('skips a record it cannot read, keeping the key’s earlier state; a later record of the key wins', () => {
    const parsed = parse([
      r.json('status-connector-a', status('RUNNING')),
      r.raw('status-connector-a', 'not json'),
      r.json('status-connector-b', status('RUNNING')),
      r.json('status-connector-b', { state: 'DANCING', trace: null, worker_id: 'w1', generation: 1 }),
      r.json('status-connector-b', status('PAUSED')),
    ]);
    expect(Object.fromEntries(Object.entries(parsed.connectors).map(([n, c]) => [n, c.state]))).toEqual({
      a: 'RUNNING',
      b: 'PAUSED',
    });
  });
});

describe('statusKeysByConnector', () => {
  it('groups the keys by connector, a connector whose name extends another’s apart, unreadable values included', () => {
    const records = [
      r.json('status-connector-a', status('RUNNING')),
      r.raw('status-task-a-0', 'garbage'),
      r.json('status-connector-a-b', status('RUNNING')),
      r.json('status-task-a-b-0', status('RUNNING')),
      r.json('status-worker-w1', heartbeat('demo', '2026-01-01T00:00:55.000Z')),
      r.raw('status-topic-orders:connector-a', 'garbage'),
    ];
    expect(Object.fromEntries(statusKeysByConnector('demo.status', records))).toEqual({
      a: ['status-connector-a', 'status-task-a-0', 'status-topic-orders:connector-a'],
      'a-b': ['status-connector-a-b', 'status-task-a-b-0'],
    });
  });
});
