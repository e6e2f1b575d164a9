import { describe, expect, it } from 'vitest';
import { median, medianOf, percentile, rangeOf } from './stats.js';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('ignores runs that measured nothing', () => {
    expect(medianOf([null, 5, 1, null, 3])).toBe(3);
    expect(medianOf([null])).toBeNull();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
  });
});

describe('rangeOf', () => {
  it('gives the smallest and largest measured value, ignoring runs that measured nothing', () => {
    expect(rangeOf([4, null, 1, 9, 3])).toEqual([1, 9]);
    expect(rangeOf([null])).toBeNull();
  });
});
