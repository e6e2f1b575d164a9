import { describe, expect, it } from 'vitest';
import { measureConverters } from './converters.js';

describe('measureConverters', () => {
  it('measures both directions of the string envelope and the 10-field struct in records per second', () => {
    const results = measureConverters({ records: 200 });
    expect(results.map((r) => r.name)).toEqual([
      'json string envelope → bytes',
      'json string envelope ← bytes',
      'json 10-field struct → bytes',
      'json 10-field struct ← bytes',
    ]);
    for (const result of results) {
      expect(result.unit).toBe('records/s');
      expect(result.value).toBeGreaterThan(0);
    }
  });
});
