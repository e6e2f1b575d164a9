import { describe, expect, it } from 'vitest';
import { source } from '../../test/fixtures/plan/build.js';
import { recordMaker } from '../../test/fixtures/state/records.js';
import { parseConfigsTopic } from './read-state.js';

const r = recordMaker();
const { origin: _origin, ...spec } = source('s');
const connector = { project: 'demo', spec, appliedAt: '2026-01-01T00:00:00.000Z' };
const managed = { project: 'demo', since: '2026-01-01T00:00:00.000Z', adopted: false };
const lease = {
  id: 'x',
  holder: 'a@b pid 1',
  since: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T00:00:30.000Z',
};

describe('parseConfigsTopic', () => {
  it('keeps the latest record of each key, joins target states to connectors, drops tombstoned keys', () => {
    const snapshot = parseConfigsTopic('pipe-demo.configs', [
      r.json('connector-s', connector),
      r.json('target-state-s', { state: 'PAUSED', 'state.v2': 'STOPPED' }),
      r.json('connector-gone', { ...connector, spec: { ...spec, name: 'gone' } }),
      r.json('connector-gone', null),
      r.json('managed-topic-t', managed),
      r.json('managed-topic-u', managed),
      r.json('managed-topic-u', null),
      r.json('task-s-0', { properties: {} }),
      r.json('lock', lease),
      r.json('lock', null),
    ]);
    expect(snapshot.connectors).toEqual({ s: { name: 's', record: connector, targetState: 'stopped' } });
    expect(snapshot.managedTopics).toEqual({ t: managed });
    expect(snapshot.locks.map((l) => l.value)).toEqual([lease, null]);
    expect(snapshot.foreign).toEqual([]);
  });

  it('skips Kafka Connect’s own records and garbage under pipe’s keys, naming each; later records still win', () => {
    const fromConnect = r.json('connector-c', { properties: { 'connector.class': 'FileStreamSource' } });
    const garbage = r.raw('connector-s', '\u0000\u0001not json');
    const brokenLock = r.json('lock', { id: 'y', holder: 'h', since: 'then' });
    const snapshot = parseConfigsTopic('pipe-demo.configs', [
      r.json('connector-s', connector),
      fromConnect,
      garbage,
      r.json('lock', lease),
      brokenLock,
      r.raw('connector-late', 'garbage'),
      r.json('connector-late', null),
    ]);
    expect(Object.keys(snapshot.connectors)).toEqual(['s']);
    expect(snapshot.locks.map((l) => l.value)).toEqual([lease]);
    expect(snapshot.foreign).toEqual([
      {
        topic: 'pipe-demo.configs',
        partition: 0,
        offset: fromConnect.offset,
        key: 'connector-c',
        reason: 'not a pipe connector record: field project is not a string',
      },
      {
        topic: 'pipe-demo.configs',
        partition: 0,
        offset: garbage.offset,
        key: 'connector-s',
        reason: 'the value is not JSON',
      },
      {
        topic: 'pipe-demo.configs',
        partition: 0,
        offset: brokenLock.offset,
        key: 'lock',
        reason: 'not a lock record: field since is not an ISO 8601 time',
      },
      expect.objectContaining({ key: 'connector-late', reason: 'the value is not JSON' }),
    ]);
  });
});
