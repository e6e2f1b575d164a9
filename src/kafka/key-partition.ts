/**
 * The partition Kafka's Java clients (and kafkajs's default partitioner)
 * give a keyed record: murmur2 of the key, made positive by masking the sign
 * bit. @platformatic/kafka's own default takes the hash as unsigned instead,
 * which lands some keys elsewhere on a topic whose partition count is not a
 * power of two, so records that must meet the ones Connect and kafkajs wrote
 * (a compacted topic's keys) name their partition with this.
 */
import { murmur2 } from '@platformatic/kafka';

export function keyPartition(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
