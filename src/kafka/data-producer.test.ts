import { createRecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { BATCH_OVERHEAD, recordBytes, sizeOf } from '../worker/send-pipeline.js';
import { type DataMessage, toProducible } from './data-producer.js';

/** The bytes of a record batch of these messages as the producer's client encodes it. */
const encoded = (messages: DataMessage[]) =>
  // The client hands null keys and values (absent in what it takes) to the encoder as they are.
  createRecordsBatch(messages.map((m) => toProducible('t', m)) as Parameters<typeof createRecordsBatch>[0])
    .length;

describe('the record sizes the worker counts (src/worker/send-pipeline.ts)', () => {
  it('measures a record as the client encodes it: a batch of it alone is BATCH_OVERHEAD + recordBytes', () => {
    const records: DataMessage[] = [
      { key: null, value: null },
      { key: Buffer.from('k'), value: Buffer.alloc(63) },
      { key: null, value: Buffer.alloc(8_192) },
      { key: Buffer.alloc(100), value: Buffer.alloc(1_048_576) },
      {
        key: null,
        value: Buffer.from('v'),
        headers: { trace: [Buffer.from('a'), Buffer.from('b')], é: [Buffer.alloc(200)] },
      },
    ];
    for (const m of records) expect(BATCH_OVERHEAD + recordBytes(m)).toBe(encoded([m]));
  });

  it('counts enough for any record of a batch, whatever its offset and timestamp deltas', () => {
    // Source timestamps far apart take a 10-byte delta where a first record's takes 1.
    const records: DataMessage[] = Array.from({ length: 300 }, (_, i) => ({
      key: null,
      value: Buffer.alloc(57),
      timestamp: i % 2 === 0 ? '0' : '9000000000000000000',
    }));
    const counted = records.reduce((sum, m) => sum + sizeOf(m), 0);
    expect(BATCH_OVERHEAD + counted).toBeGreaterThanOrEqual(encoded(records));
  });
});
