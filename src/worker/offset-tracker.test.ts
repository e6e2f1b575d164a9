import { describe, expect, it } from 'vitest';
import { type OffsetMap, OffsetTracker, partitionKey } from './offset-tracker.js';

const file = { filename: 'in.txt' };
function at(position: number): OffsetMap {
  return new Map([[partitionKey(file), { partition: file, offset: { position } }]]);
}

describe('OffsetTracker', () => {
  it('commits nothing before the broker acknowledged', () => {
    const t = new OffsetTracker();
    t.submit(at(10), 2);
    expect(t.take()).toEqual([]);
    expect(t.unacknowledged).toBe(2);
  });

  it('commits the offset of an acknowledged batch once, latest per partition', () => {
    const t = new OffsetTracker();
    const a = t.submit(at(10), 2);
    const b = t.submit(at(20), 3);
    t.ack(a);
    t.ack(b);
    expect(t.take()).toEqual([{ partition: file, offset: { position: 20 } }]);
    expect(t.take()).toEqual([]);
    expect(t.unacknowledged).toBe(0);
  });

  it('holds back a later batch acknowledged before an earlier one', () => {
    const t = new OffsetTracker();
    const a = t.submit(at(10), 1);
    const b = t.submit(at(20), 1);
    const c = t.submit(at(30), 1);
    t.ack(b);
    expect(t.take()).toEqual([]);
    t.ack(a);
    expect(t.take()).toEqual([{ partition: file, offset: { position: 20 } }]);
    t.ack(c);
    expect(t.take()).toEqual([{ partition: file, offset: { position: 30 } }]);
  });

  it('keeps offsets of different source partitions apart', () => {
    const t = new OffsetTracker();
    const other = { filename: 'other.txt' };
    const both: OffsetMap = new Map([
      ...at(5),
      [partitionKey(other), { partition: other, offset: { position: 7 } }],
    ]);
    t.ack(t.submit(both, 2));
    expect(t.take()).toEqual([
      { partition: file, offset: { position: 5 } },
      { partition: other, offset: { position: 7 } },
    ]);
  });

  it('restores offsets whose write failed, unless a newer one is already waiting', () => {
    const t = new OffsetTracker();
    t.ack(t.submit(at(10), 1));
    const taken = t.take();
    t.restore(taken);
    expect(t.take()).toEqual(taken);
    t.ack(t.submit(at(20), 1));
    t.restore(taken);
    expect(t.take()).toEqual([{ partition: file, offset: { position: 20 } }]);
  });
});
