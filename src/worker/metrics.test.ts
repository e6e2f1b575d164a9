import { describe, expect, it } from 'vitest';
import { TaskCounters } from './metrics.js';

describe('TaskCounters', () => {
  it('reports the records-out rate between two snapshots', () => {
    const c = new TaskCounters();
    expect(c.snapshot(1_000).rate).toBe(0);
    c.recordsOut += 500;
    const m = c.snapshot(3_000);
    expect(m).toMatchObject({ recordsOut: 500, rate: 250, updatedAt: new Date(3_000).toISOString() });
    expect(c.snapshot(4_000).rate).toBe(0);
  });

  it('includes lag and the last error only when known', () => {
    const c = new TaskCounters();
    expect(c.snapshot(0)).not.toHaveProperty('lag');
    c.lag = 7;
    c.lastError = 'value converter failed';
    expect(c.snapshot(1)).toMatchObject({ lag: 7, lastError: 'value converter failed' });
  });
});
