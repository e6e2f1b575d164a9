import { describe, expect, it } from 'vitest';
import { source } from '../../test/fixtures/plan/build.js';
import type { TopicRecord } from '../kafka/read-topic.js';
import { parseConfigsTopic } from './read-state.js';

let offset = 0;
function rec(key: string, value: unknown): TopicRecord {
  return {
    partition: 0,
    offset: String(offset++),
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(JSON.stringify(value)),
    timestamp: '0',
  };
}

const { origin: _origin, ...spec } = source('s');
const connector = { project: 'demo', spec, appliedAt: '2026-01-01T00:00:00.000Z' };
const managed = { project: 'demo', since: '2026-01-01T00:00:00.000Z', adopted: false };
const lease = { id: 'x', holder: 'a@b pid 1', since: 't0', expiresAt: 't1' };

describe('parseConfigsTopic', () => {
  it('keeps the latest record of each key, joins target states to connectors, drops tombstoned keys and Connect’s own records', () => {
    const snapshot = parseConfigsTopic([
      rec('connector-s', connector),
      rec('target-state-s', { state: 'PAUSED', 'state.v2': 'STOPPED' }),
      rec('connector-gone', connector),
      rec('connector-gone', null),
      rec('managed-topic-t', managed),
      rec('managed-topic-u', managed),
      rec('managed-topic-u', null),
      rec('task-s-0', { properties: {} }),
      rec('connector-from-connect', { properties: { 'connector.class': 'FileStreamSource' } }),
      rec('lock', lease),
      rec('lock', null),
    ]);
    expect(snapshot.connectors).toEqual({ s: { name: 's', record: connector, targetState: 'stopped' } });
    expect(snapshot.managedTopics).toEqual({ t: managed });
    expect(snapshot.locks.map((l) => l.value)).toEqual([lease, null]);
  });
});
