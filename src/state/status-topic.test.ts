import { describe, expect, it } from 'vitest';
import { recordMaker } from '../../test/fixtures/state/records.js';
import {
  decodeStatusRecord,
  foldStatusTopic,
  isLive,
  MAX_CLOCK_SKEW_MS,
  WORKER_STALE_MS,
} from './status-topic.js';

const place = { topic: 'p.status', partition: 3, offset: '7' };
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const status = { state: 'RUNNING', trace: null, worker_id: 'w', generation: 2 };
const beat = {
  worker_id: 'w',
  project: 'p',
  startedAt: '2026-01-01T00:00:00Z',
  heartbeatAt: '2026-01-01T00:00:00Z',
};
const decode = (key: string, value: Buffer | null) => decodeStatusRecord(place, Buffer.from(key), value);

describe('decodeStatusRecord', () => {
  it('reads connector, task and worker records', () => {
    expect(decode('status-connector-a-1', json(status))).toEqual({
      ok: true,
      record: { kind: 'connector', name: 'a-1', value: status },
    });
    expect(decode('status-task-a-1-12', null)).toEqual({
      ok: true,
      record: { kind: 'task', name: 'a-1', task: 12, value: null },
    });
    expect(decode('status-worker-host:1', json(beat))).toEqual({
      ok: true,
      record: { kind: 'worker', workerId: 'host:1', value: beat },
    });
    expect(decode('status-other-a', Buffer.from('x'))).toEqual({
      ok: true,
      record: { kind: 'other', key: 'status-other-a' },
    });
  });

  it("reads Connect's active-topic records (KIP-558), a connector name with a colon included, and folds them per connector", () => {
    const active = { topic: { name: 't.1', connector: 'a:b', task: 0, discoverTimestamp: 1700000000000 } };
    expect(decode('status-topic-t.1:connector-a:b', json(active))).toEqual({
      ok: true,
      record: { kind: 'topic', name: 'a:b', topic: 't.1', value: active },
    });
    const r = recordMaker();
    const folded = foldStatusTopic('p.status', [
      r.json('status-topic-t1:connector-a', active),
      r.json('status-topic-t2:connector-a', active),
      r.json('status-topic-t1:connector-a', null),
    ]);
    expect(folded.topics).toEqual(new Map([['a', new Set(['t2'])]]));
    expect(decode('status-topic-t:connector-a', json({ topic: { name: 't' } })).ok).toBe(false);
  });

  it('refuses wrong shapes, naming the field', () => {
    const reason = (key: string, value: unknown) => {
      const d = decode(key, json(value));
      return d.ok
        ? undefined
        : `${d.foreign.topic}/${d.foreign.partition}@${d.foreign.offset}: ${d.foreign.reason}`;
    };
    expect(reason('status-task-a-0', { ...status, trace: ['x'] })).toBe(
      'p.status/3@7: not a status record: field trace is not a string',
    );
    expect(reason('status-connector-a', { ...status, metrics: { recordsIn: '1' } })).toBe(
      'p.status/3@7: not a status record: field metrics.recordsIn is not a number',
    );
    expect(reason('status-worker-w', { ...beat, heartbeatAt: 12 })).toBe(
      'p.status/3@7: not a worker heartbeat: field heartbeatAt is not an ISO 8601 time',
    );
  });
});

describe('foldStatusTopic', () => {
  it('keeps the latest readable record per key and lists what it skipped', () => {
    const r = recordMaker();
    const bad = r.raw('status-worker-w', '[]');
    const snapshot = foldStatusTopic('p.status', [
      r.json('status-worker-w', beat),
      bad,
      r.json('status-task-a-0', status),
      r.json('status-task-a-0', null),
      r.json('status-connector-a', status, 5000),
    ]);
    expect([...snapshot.heartbeats.values()]).toEqual([beat]);
    expect(snapshot.tasks.size).toBe(0);
    expect(snapshot.connectors.get('a')).toEqual({ ...status, reportedAt: 5000 });
    expect(snapshot.foreign.map((f) => [f.offset, f.reason])).toEqual([
      [bad.offset, 'not a worker heartbeat: the value is not an object'],
    ]);
  });
});

describe('isLive', () => {
  const at = (ms: number) => ({ ...beat, heartbeatAt: new Date(ms).toISOString() });
  const now = new Date('2026-06-01T00:00:00Z');
  it('is fresh for three heartbeats, and a heartbeat dated ahead only within the clock skew allowed', () => {
    expect(isLive(at(now.getTime() - WORKER_STALE_MS + 1), 'p', now)).toBe(true);
    expect(isLive(at(now.getTime() - WORKER_STALE_MS), 'p', now)).toBe(false);
    expect(isLive(at(now.getTime() + MAX_CLOCK_SKEW_MS), 'p', now)).toBe(true);
    expect(isLive(at(now.getTime() + MAX_CLOCK_SKEW_MS + 1), 'p', now)).toBe(false);
    expect(isLive(at(now.getTime()), 'q', now)).toBe(false);
  });
});
