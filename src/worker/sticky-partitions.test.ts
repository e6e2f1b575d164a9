import { describe, expect, it } from 'vitest';
import { StickyPartitions } from './sticky-partitions.js';

describe('StickyPartitions', () => {
  it('gives each batch one partition and the next batch the next one', async () => {
    const sticky = new StickyPartitions(async () => 3);
    const picks = [];
    for (let i = 0; i < 4; i++) picks.push(await sticky.forBatch('t'));
    expect(picks).toEqual([0, 1, 2, 0]);
  });

  it('leaves the choice to the producer when the partition count is unknown', async () => {
    const sticky = new StickyPartitions(async () => {
      throw new Error('no metadata');
    });
    expect(await sticky.forBatch('t')).toBeUndefined();
  });

  it('asks for the partition count again after the refresh interval', async () => {
    let now = 0;
    let count = 1;
    const sticky = new StickyPartitions(
      async () => count,
      () => now,
      1000,
    );
    expect(await sticky.forBatch('t')).toBe(0);
    count = 2;
    expect(await sticky.forBatch('t')).toBe(0);
    now = 2000;
    expect(await sticky.forBatch('t')).toBe(1);
  });
});
