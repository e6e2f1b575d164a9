import { describe, expect, it } from 'vitest';
import { parseConsumerPerfSummary } from './consumer-performance.js';

describe("ConsumerPerformance's output", () => {
  it('gives the fetch figures, which leave the group join out', () => {
    const out = [
      'WARNING: --messages is deprecated, use --num-records instead.',
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-12-02 03:10:01:123, 2026-12-02 03:10:05:456, 193.5474, 44.6678, 300000, 69236.0, 3012, 1321, 146.5157, 227100.6813',
    ].join('\n');
    expect(parseConsumerPerfSummary(out)).toEqual({
      records: 300000,
      fetchRecordsPerSec: 227100.6813,
      fetchMbPerSec: 146.5157,
    });
  });

  it('is undefined when the tool printed no figures', () => {
    expect(parseConsumerPerfSummary('start.time, end.time\n')).toBeUndefined();
    expect(parseConsumerPerfSummary('ERROR: topic does not exist')).toBeUndefined();
  });
});
