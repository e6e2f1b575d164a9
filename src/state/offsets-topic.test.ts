import { describe, expect, it } from 'vitest';
import { recordMaker } from '../../test/fixtures/state/records.js';
import { decodeOffsetRecord, foldOffsetsTopic } from './offsets-topic.js';

const place = { topic: 'p.offsets', partition: 11, offset: '0' };
const key = '["src",{"filename":"/tmp/a"}]';

describe('decodeOffsetRecord', () => {
  it('reads Connect’s key and a JSON object or a tombstone', () => {
    expect(decodeOffsetRecord(place, Buffer.from(key), Buffer.from('{"position":5}'))).toEqual({
      ok: true,
      record: { connector: 'src', partition: { filename: '/tmp/a' }, key, offset: { position: 5 } },
    });
    expect(decodeOffsetRecord(place, Buffer.from(key), null)).toMatchObject({
      ok: true,
      record: { offset: null },
    });
  });

  it('refuses other keys and values', () => {
    const reason = (k: string | null, v: string | null) => {
      const d = decodeOffsetRecord(
        place,
        k === null ? null : Buffer.from(k),
        v === null ? null : Buffer.from(v),
      );
      return d.ok ? undefined : d.foreign.reason;
    };
    expect(reason('src', '{}')).toBe('the key is not ["<connector>", {partition}] in JSON');
    expect(reason('["src","p"]', '{}')).toBe('the key is not ["<connector>", {partition}] in JSON');
    expect(reason(null, '{}')).toBe('the key is not ["<connector>", {partition}] in JSON');
    expect(reason(key, '5')).toBe('the offset is not a JSON object');
    expect(reason(key, 'five')).toBe('the value is not JSON');
  });
});

describe('foldOffsetsTopic', () => {
  it('keeps the latest offset per key, a tombstone removing it, and lists what it skipped', () => {
    const r = recordMaker();
    const bad = r.raw(key, 'garbage');
    const { offsets, foreign } = foldOffsetsTopic('p.offsets', [
      r.raw(key, '{"position":1}'),
      bad,
      r.raw('["gone",{}]', '{"position":1}'),
      r.raw('["gone",{}]', null),
    ]);
    expect([...offsets.values()].map((o) => [o.connector, o.offset])).toEqual([['src', { position: 1 }]]);
    expect(foreign.map((f) => f.offset)).toEqual([bad.offset]);
  });
});
