/**
 * Warms the bench's broker up before anything is measured. A broker just
 * started runs its produce and fetch paths in the JVM's interpreter until
 * its JIT has compiled them, and whichever side went first in the first run
 * paid for that: in the published run at 9a4a040 every side of file-source
 * rose run after run (pipe 71,919 → 88,225 → 101,333 records/s, Kafka
 * Connect 43,486 → 55,936 → 76,890, ProducerPerformance 80,859 → 101,383 →
 * 108,342). Kafka's own tools write and read a scratch topic, so the warm-up
 * favours no side.
 */
import { performance } from 'node:perf_hooks';
import { runConsumerPerformance } from './consumer-performance.js';
import type { BenchContext } from './context.js';
import { runProducerPerformance } from './producer-performance.js';
import { createBenchTopic, deleteBenchTopics } from './topics.js';

export interface WarmUp {
  records: number;
  seconds: number;
}

/** Writes `records` records with ProducerPerformance and reads them back with ConsumerPerformance. */
export async function warmUpBroker(ctx: BenchContext, records: number): Promise<WarmUp> {
  const started = performance.now();
  const topic = 'bench-warm-up';
  await createBenchTopic(ctx.kafka, topic);
  try {
    await runProducerPerformance({
      brokers: ctx.brokers,
      topic,
      numRecords: records,
      recordSize: ctx.sizes.recordSize,
      version: ctx.kafkaVersion,
    });
    await runConsumerPerformance({ brokers: ctx.brokers, topic, records, version: ctx.kafkaVersion });
  } finally {
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
  return { records, seconds: (performance.now() - started) / 1000 };
}
