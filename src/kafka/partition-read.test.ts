import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { type FetchedPartition, PartitionRead } from './partition-read.js';
import type { TopicRecord } from './read-topic.js';

function batch(
  firstOffset: bigint,
  producerId: bigint,
  attributes: number,
  values: Array<Buffer | null>,
): RecordsBatch {
  return {
    firstOffset,
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes,
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 1_700_000_000_000n,
    maxTimestamp: 1_700_000_000_000n,
    producerId,
    producerEpoch: 0,
    firstSequence: 0,
    records: values.map((value, i) => ({
      length: 0,
      attributes: 0,
      timestampDelta: BigInt(i),
      offsetDelta: i,
      key: Buffer.from(`k${i}`),
      value,
      headers: [],
    })),
  };
}

/** A control batch: one record whose key is version 0 and the marker's type. */
function marker(offset: bigint, producerId: bigint, type: 'abort' | 'commit'): RecordsBatch {
  const b = batch(offset, producerId, IS_TRANSACTIONAL | IS_CONTROL, [Buffer.alloc(6)]);
  const key = Buffer.alloc(4);
  key.writeInt16BE(type === 'abort' ? 0 : 1, 2);
  return { ...b, records: b.records.map((r) => ({ ...r, key })) };
}

const values = (records: TopicRecord[]) => records.map((r) => `${r.offset}:${r.value?.toString() ?? 'null'}`);

function fetched(records: RecordsBatch[], aborted: Array<{ producerId: bigint; firstOffset: bigint }> = []) {
  return {
    partitionIndex: 0,
    errorCode: 0,
    highWatermark: 0n,
    lastStableOffset: 0n,
    logStartOffset: 0n,
    abortedTransactions: aborted,
    preferredReadReplica: -1,
    records,
  } satisfies FetchedPartition;
}

describe('PartitionRead', () => {
  it('drops the batches of an aborted transaction the broker listed, up to its abort marker, and keeps the rest', () => {
    const read = new PartitionRead(0, 0n, 8n);
    const out: TopicRecord[] = [];
    read.take(
      fetched(
        [
          batch(0n, 7n, IS_TRANSACTIONAL, [Buffer.from('committed')]),
          marker(1n, 7n, 'commit'),
          batch(2n, 7n, IS_TRANSACTIONAL, [Buffer.from('aborted-a'), Buffer.from('aborted-b')]),
          batch(4n, 9n, 0, [Buffer.from('plain'), null]),
          marker(6n, 7n, 'abort'),
          batch(7n, 7n, IS_TRANSACTIONAL, [Buffer.from('later')]),
        ],
        [{ producerId: 7n, firstOffset: 2n }],
      ),
      out,
    );
    expect(values(out)).toEqual(['0:committed', '4:plain', '5:null', '7:later']);
    expect(out[1]?.timestamp).toBe('1700000000000');
    expect(out[2]?.timestamp).toBe('1700000000001');
    expect(read.done).toBe(true);
  });

  it('skips what lies before its position, stops at its end, and resumes from the next batch', () => {
    const read = new PartitionRead(0, 1n, 5n);
    const out: TopicRecord[] = [];
    read.take(fetched([batch(0n, -1n, 0, [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')])]), out);
    expect(values(out)).toEqual(['1:b', '2:c']);
    expect(read.position).toBe(3n);
    expect(read.done).toBe(false);
    read.take(fetched([batch(3n, -1n, 0, [Buffer.from('d'), Buffer.from('e'), Buffer.from('f')])]), out);
    expect(values(out)).toEqual(['1:b', '2:c', '3:d', '4:e']);
    expect(read.done).toBe(true);
  });

  it('counts a partition ending in a marker as read to its end', () => {
    const read = new PartitionRead(0, 0n, 2n);
    const out: TopicRecord[] = [];
    read.take(fetched([batch(0n, 7n, IS_TRANSACTIONAL, [Buffer.from('x')]), marker(1n, 7n, 'commit')]), out);
    expect(values(out)).toEqual(['0:x']);
    expect(read.done).toBe(true);
  });
});
