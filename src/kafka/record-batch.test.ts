import {
  createRecordsBatch,
  type MessageRecord,
  NumericMap,
  Reader,
  readRecordsBatch,
} from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { type BatchRecord, encodeRecordBatch } from './record-batch.js';

const NOW = 1_764_000_000_000n;
const b = (text: string) => Buffer.from(text);

/** The client's own bytes for the same records (it stamps them as its request does: `now` where unset). */
function clientBytes(records: BatchRecord[], options: Parameters<typeof createRecordsBatch>[1] = {}) {
  const messages = records.map((r) => ({ ...r, topic: 't', partition: 0, timestamp: r.timestamp ?? NOW }));
  return createRecordsBatch(messages as MessageRecord[], options).buffer;
}

const plain = { firstSequence: 0, transactional: false };

/** Where two encodings first differ (-1: nowhere); a deep equality of megabyte buffers takes seconds. */
function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('encodeRecordBatch writes the bytes the client writes', () => {
  it('for records without keys, timestamps or headers, as a file source sends them', () => {
    const records = Array.from({ length: 400 }, (_, i) => ({ value: b(`{"payload":"line ${i}"}`) }));
    expect(firstDifference(encodeRecordBatch(records, plain, NOW), clientBytes(records))).toBe(-1);
  });

  it('for null and empty keys and values, and values whose length takes several varint bytes', () => {
    const records: BatchRecord[] = [
      { key: null, value: null },
      { key: b(''), value: b('') },
      { key: b('k'), value: Buffer.alloc(63, 1) },
      { key: Buffer.alloc(64, 2), value: Buffer.alloc(8_192, 3) },
      { value: Buffer.alloc(1_048_576, 4) },
    ];
    expect(firstDifference(encodeRecordBatch(records, plain, NOW), clientBytes(records))).toBe(-1);
  });

  it('for headers, a name repeated with several values included', () => {
    const headers = new Map<Buffer, Buffer>([
      [b('trace'), b('a')],
      [b('trace'), b('b')],
      [b('é'), Buffer.alloc(200, 7)],
    ]);
    const records: BatchRecord[] = [
      { value: b('v'), headers },
      { value: b('w'), headers: new Map() },
    ];
    expect(firstDifference(encodeRecordBatch(records, plain, NOW), clientBytes(records))).toBe(-1);
  });

  it('for timestamps of their own, later and earlier than the first, as bigints or numbers', () => {
    const records: BatchRecord[] = [
      { value: b('a'), timestamp: NOW },
      { value: b('b'), timestamp: NOW + 1_000n },
      { value: b('c'), timestamp: NOW - 86_400_000n },
      { value: b('d'), timestamp: Number(NOW) + 5 },
      { value: b('e') },
    ];
    expect(firstDifference(encodeRecordBatch(records, plain, NOW), clientBytes(records))).toBe(-1);
  });

  it("for an idempotent producer's id, epoch and sequence, and a transactional batch", () => {
    const records = [{ value: b('x') }, { key: b('k'), value: b('y') }];
    const sequences = new NumericMap();
    sequences.set('t:0', 1_234);
    expect(
      encodeRecordBatch(
        records,
        {
          producerId: 42n,
          producerEpoch: 3,
          firstSequence: 1_234,
          transactional: true,
          partitionLeaderEpoch: 5,
        },
        NOW,
      ),
    ).toEqual(
      clientBytes(records, {
        producerId: 42n,
        producerEpoch: 3,
        sequences,
        transactionalId: 'tx',
        partitionLeaderEpoch: 5,
      }),
    );
  });
});

describe('encodeRecordBatch, where the client writes other bytes', () => {
  it("keeps timestamps more than 2^31 ms (24.8 days) from the batch's first, which the client garbles", () => {
    // The client's 64-bit zigzag shifts the sign by 31 bits, not 63: such deltas reach the broker as other times.
    const timestamps = [NOW, 0n, NOW + 2n ** 31n, NOW - 2n ** 40n, 9_000_000_000_000_000_000n, -5n];
    const records = timestamps.map((timestamp, i) => ({ value: b(`r${i}`), timestamp }));
    const read = (bytes: Buffer) => {
      const batch = readRecordsBatch(Reader.from(bytes));
      return batch.records.map((r) => batch.firstTimestamp + r.timestampDelta);
    };
    expect(read(encodeRecordBatch(records, plain, NOW))).toEqual(timestamps);
    expect(readRecordsBatch(Reader.from(encodeRecordBatch(records, plain, NOW))).maxTimestamp).toBe(
      9_000_000_000_000_000_000n,
    );
  });
});
