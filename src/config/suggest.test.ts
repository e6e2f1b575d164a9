import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.js';

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('partitons', 'partitions')).toBe(1);
    expect(editDistance('conenctor', 'connector')).toBe(1);
  });

  it('suggests the closest candidate that is a plausible typo', () => {
    expect(closest('partitons', ['partitions', 'protect', 'config'])).toBe('partitions');
    expect(closest('Kafak', ['kafka', 'file'])).toBe('kafka');
  });

  it('suggests nothing for a different word', () => {
    expect(closest('avro', ['json', 'string', 'bytearray'])).toBeUndefined();
  });
});
