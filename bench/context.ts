/**
 * What every scenario gets: the broker and a client for it, a scratch folder,
 * the sizes of this run (full or --quick) and a log line writer.
 */
import type { Kafka } from '../src/kafka/client.js';

export interface Sizes {
  /** Paired runs per figure; each figure is their median. */
  runs: number;
  /** Lines in the file-source file and records in the file-sink topic. */
  records: number;
  /** Bytes per line or record before any converter. */
  recordSize: number;
  latencyRate: number;
  latencySeconds: number;
  planTopics: number;
  planConnectors: number;
  /** Connectors of the plan on a two-worker Kafka Connect cluster. */
  connectConnectors: number;
  cliRuns: number;
  /**
   * Idle connectors in one worker, one worker-memory figure per count: half
   * file sources and half file sinks, joined in pairs by a topic.
   */
  idleConnectors: number[];
  idleSeconds: number;
  /** Record sizes of scale-record-size, each moving records × recordSize bytes. */
  scaleRecordSizes: number[];
  /** Partitions of scale-partitions' second point (its first is 1). */
  scalePartitions: number;
  /** Connectors of scale-connectors' second point (its first is 1). */
  scaleConnectors: number;
  /** Records written and read by Kafka's own tools before the first scenario (bench/warm-up.ts). */
  warmUpRecords: number;
}

export const FULL: Sizes = {
  // Five, so the min and max beside each median are two runs out of five, not the median's neighbours.
  runs: 5,
  records: 1_000_000,
  recordSize: 100,
  latencyRate: 5000,
  latencySeconds: 60,
  planTopics: 1000,
  planConnectors: 200,
  connectConnectors: 200,
  cliRuns: 10,
  // 20 is the goal; 40 the 20 pipelines of the runs before it.
  idleConnectors: [20, 40],
  idleSeconds: 10,
  scaleRecordSizes: [100, 1000, 10_000],
  scalePartitions: 12,
  scaleConnectors: 20,
  warmUpRecords: 1_000_000,
};

export const QUICK: Sizes = {
  runs: 1,
  records: 20_000,
  recordSize: 100,
  latencyRate: 500,
  latencySeconds: 3,
  planTopics: 20,
  planConnectors: 4,
  connectConnectors: 10,
  cliRuns: 2,
  idleConnectors: [4],
  idleSeconds: 2,
  // Every point starts a Kafka Connect JVM per side: two points a curve keep the check short.
  scaleRecordSizes: [100, 10_000],
  scalePartitions: 12,
  scaleConnectors: 4,
  warmUpRecords: 20_000,
};

export interface BenchContext {
  brokers: string;
  kafkaVersion: string;
  kafka: Kafka;
  /** Scratch folder of this bench run, removed at the end. */
  workDir: string;
  sizes: Sizes;
  quick: boolean;
  /** Node options for pipe's worker processes, e.g. --cpu-prof. */
  pipeNodeArgs: string[];
  /** Peak RSS of the workers during file-source, for worker-memory. */
  memory: { pipe: Array<number | null>; peer: Array<number | null> };
  /** pipe failures met along the way; the suite exits non-zero when there are any. */
  failures: string[];
  log(message: string): void;
}
