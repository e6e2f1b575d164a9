import { describe, expect, it } from 'vitest';
import { sink } from '../../test/fixtures/plan/build.js';
import { decodeConfigRecord } from './configs-topic.js';

const place = { topic: 'p.configs', partition: 0, offset: '42' };
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const decode = (key: string | null, value: Buffer | null) =>
  decodeConfigRecord(place, key === null ? null : Buffer.from(key), value);
const { origin: _origin, ...spec } = sink('s');
const connector = { project: 'p', spec, appliedAt: '2026-01-01T00:00:00.000Z' };
const reasonOf = (key: string | null, value: Buffer | null) => {
  const d = decode(key, value);
  return d.ok ? undefined : d.foreign.reason;
};

describe('decodeConfigRecord', () => {
  it('reads each of pipe’s records and their tombstones', () => {
    expect(decode('connector-s', json(connector))).toEqual({
      ok: true,
      record: { kind: 'connector', name: 's', value: connector },
    });
    expect(decode('connector-s', null)).toEqual({
      ok: true,
      record: { kind: 'connector', name: 's', value: null },
    });
    expect(decode('target-state-s', json({ state: 'PAUSED' }))).toEqual({
      ok: true,
      record: { kind: 'target-state', name: 's', value: { state: 'PAUSED' } },
    });
    const managed = { project: 'p', since: 'x', adopted: true };
    expect(decode('managed-topic-t.1', json(managed))).toEqual({
      ok: true,
      record: { kind: 'managed-topic', name: 't.1', value: managed },
    });
    expect(decode('lock', null)).toEqual({ ok: true, record: { kind: 'lock', value: null } });
  });

  it("reads a worker REST API's writes: a connector changed outside pipe, and one deleted there", () => {
    const at = '2026-01-02T00:00:00.000Z';
    const changed = { ...connector, outsidePipe: { via: 'rest', worker: 'w:1', at, created: false } };
    expect(decode('connector-s', json(changed))).toEqual({
      ok: true,
      record: { kind: 'connector', name: 's', value: changed },
    });
    const deleted = { project: 'p', via: 'rest', worker: 'w:1', at };
    expect(decode('deleted-connector-s', json(deleted))).toEqual({
      ok: true,
      record: { kind: 'deleted-connector', name: 's', value: deleted },
    });
    expect(reasonOf('deleted-connector-s', json({ ...deleted, at: 'yesterday' }))).toContain('at');
  });

  it('leaves keys pipe does not use unparsed, garbage included', () => {
    expect(decode('commit-s', Buffer.from([0xff, 0xfe]))).toEqual({
      ok: true,
      record: { kind: 'other', key: 'commit-s' },
    });
  });

  it('names topic, partition, offset and key of a record it cannot read', () => {
    expect(decode('connector-s', Buffer.from('{'))).toEqual({
      ok: false,
      foreign: {
        topic: 'p.configs',
        partition: 0,
        offset: '42',
        key: 'connector-s',
        reason: 'the value is not JSON',
      },
    });
  });

  it('refuses what would crash or mislead a reader, saying which field', () => {
    expect(reasonOf('connector-s', Buffer.from([0xc3, 0x28]))).toBe('the value is not UTF-8');
    expect(reasonOf('connector-s', json(null))).toBe(
      'not a pipe connector record: the value is not an object',
    );
    // A record without kind and name is what made plan --json propose deleting `undefined.undefined`.
    expect(reasonOf('connector-s', json({ project: 'p', spec: {}, appliedAt: '' }))).toBe(
      'not a pipe connector record: field spec.kind is not one of source, sink',
    );
    expect(reasonOf('connector-s', json({ properties: { 'connector.class': 'X' } }))).toBe(
      'not a pipe connector record: field project is not a string',
    );
    expect(reasonOf('connector-s', json({ ...connector, spec: { ...spec, tasks: 0 } }))).toBe(
      'not a pipe connector record: field spec.tasks is below 1',
    );
    expect(reasonOf('connector-s', json({ ...connector, spec: { ...spec, topics: ['a', 2] } }))).toBe(
      'not a pipe connector record: field spec.topics[1] is not a string',
    );
    expect(reasonOf('connector-other', json(connector))).toBe('the record is for connector s, not other');
    expect(reasonOf('target-state-s', json({ state: 'RUNNING' }))).toBe(
      'not a target state: field state is not one of STARTED, PAUSED',
    );
    expect(reasonOf('managed-topic-t', json({ project: 'p', since: 'x', adopted: 'yes' }))).toBe(
      'not a managed-topic record: field adopted is not a boolean',
    );
    expect(
      reasonOf('lock', json({ id: 'x', holder: 'h', since: '2026-01-01T00:00:00Z', expiresAt: 'soon' })),
    ).toBe('not a lock record: field expiresAt is not an ISO 8601 time');
    expect(reasonOf(null, json(connector))).toBe('the record has no key');
  });

  it('shows a key of control characters escaped and a long key shortened', () => {
    const d = decodeConfigRecord(place, Buffer.from(`connector-\u0007${'x'.repeat(500)}`), Buffer.from('{'));
    expect(d.ok ? undefined : d.foreign.key).toBe(`connector-\\u0007${'x'.repeat(104)}…`);
  });
});
