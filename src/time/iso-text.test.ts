import { describe, expect, it } from 'vitest';
import { isoText } from './iso-text.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('isoText', () => {
  it('writes what toISOString writes at the edges of days, months, leap years, centuries and its range', () => {
    const instants = [
      0,
      -1,
      1,
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(1900, 1, 28, 23, 59, 59, 999),
      Date.UTC(1900, 2, 1),
      Date.UTC(2100, 2, 1, 0, 0, 0, 1),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.parse('0000-01-01T00:00:00.000Z'),
      Date.parse('0000-02-29T10:20:30.040Z'),
      Date.parse('0999-12-31T23:59:59.999Z'),
      Date.parse('9999-12-31T23:59:59.999Z'),
    ];
    for (const ms of instants) expect(isoText(ms)).toBe(iso(ms));
  });

  it('writes what toISOString writes for 200,000 instants spread over years 0000-9999', () => {
    const min = Date.parse('0000-01-01T00:00:00.000Z');
    const span = Date.parse('9999-12-31T23:59:59.999Z') - min;
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 200_000; i++) {
      const ms = min + Math.floor(next() * span);
      if (isoText(ms) !== iso(ms)) expect(isoText(ms)).toBe(iso(ms));
    }
  });

  it('leaves instants outside years 0000-9999 to toISOString, which also refuses an invalid one', () => {
    const before = Date.parse('0000-01-01T00:00:00.000Z') - 1;
    const after = Date.parse('9999-12-31T23:59:59.999Z') + 1;
    expect(isoText(before)).toBe('-000001-12-31T23:59:59.999Z');
    expect(isoText(after)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoText(Number.NaN)).toThrow(RangeError);
  });
});
