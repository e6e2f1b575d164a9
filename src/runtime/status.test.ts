import { describe, expect, it } from 'vitest';
import type { TopicRecord } from '../kafka/read-topic.js';
import { parseStatusTopic, statusKeysByConnector } from './status.js';

let offset = 0;
function rec(key: string, value: unknown, timestamp = 1000): TopicRecord {
  return {
    partition: 0,
    offset: String(offset++),
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(JSON.stringify(value)),
    timestamp: String(timestamp),
  };
}
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

describe('parseStatusTopic', () => {
  it('gathers each connector’s latest state and its tasks, task names with dashes included', () => {
    const parsed = parseStatusTopic(
      [
        rec('status-connector-a-1', status('UNASSIGNED')),
        rec('status-connector-a-1', status('RUNNING'), 2000),
        rec('status-task-a-1-1', status('FAILED', 'boom')),
        rec('status-task-a-1-0', status('RUNNING')),
        rec('status-connector-gone', status('RUNNING')),
        rec('status-connector-gone', null),
      ],
      'demo',
      now,
    );
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

  it('counts a worker as live only for its project and while its heartbeat is fresh', () => {
    const parsed = parseStatusTopic(
      [
        rec('status-worker-fresh', heartbeat('demo', '2026-01-01T00:00:55.000Z')),
        rec('status-worker-stale', heartbeat('demo', '2026-01-01T00:00:30.000Z')),
        rec('status-worker-other', heartbeat('other', '2026-01-01T00:00:59.000Z')),
        rec('status-worker-stopped', heartbeat('demo', '2026-01-01T00:00:59.000Z')),
        rec('status-worker-stopped', null),
      ],
      'demo',
      now,
    );
    expect(parsed.liveWorkers.map((w) => w.heartbeatAt)).toEqual(['2026-01-01T00:00:55.000Z']);
  });
});

describe('statusKeysByConnector', () => {
  it('groups the keys by connector, a connector whose name extends another’s apart', () => {
    const records = [
      rec('status-connector-a', status('RUNNING')),
      rec('status-task-a-0', status('RUNNING')),
      rec('status-connector-a-b', status('RUNNING')),
      rec('status-task-a-b-0', status('RUNNING')),
      rec('status-worker-w1', heartbeat('demo', '2026-01-01T00:00:55.000Z')),
    ];
    expect(Object.fromEntries(statusKeysByConnector(records))).toEqual({
      a: ['status-connector-a', 'status-task-a-0'],
      'a-b': ['status-connector-a-b', 'status-task-a-b-0'],
    });
  });
});
