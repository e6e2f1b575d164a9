import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { keyPartition } from './key-partition.js';

describe('keyPartition', () => {
  it('puts every key where kafkajs (as the Java client) puts it, on partition counts that are not powers of two', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const partitions of [3, 12, 25]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [0],
        isr: [0],
      }));
      for (let i = 0; i < 500; i++) {
        const key = Buffer.from(JSON.stringify([`source-${i}`, { filename: `/data/in-${i}.txt` }]));
        expect(keyPartition(key, partitions)).toBe(
          kafkajs({ topic: 'offsets', partitionMetadata, message: { key, value: null } }),
        );
      }
    }
  });
});
