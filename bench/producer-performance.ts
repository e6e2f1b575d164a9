/**
 * Kafka's own ProducerPerformance from the same jars as the local broker
 * (kafka-tool.ts): the producer ceiling that benchmarks compare pipe's data
 * path with.
 */
import { defaultKafkaVersion } from '../src/kafka/local/jars.js';
import { type KafkaToolOptions, type KafkaToolRun, runKafkaTool, startKafkaTool } from './kafka-tool.js';

export interface ProducerPerfOptions {
  brokers: string;
  topic: string;
  numRecords: number;
  recordSize: number;
  /** Records per second; -1 (the default) means as fast as possible. */
  throughput?: number;
  /** Extra producer settings, e.g. `acks`, `linger.ms`, `batch.size`. */
  producerProps?: Record<string, string>;
  version?: string;
  heap?: string;
}

/** The final line ProducerPerformance prints, as the tool itself reports it. */
export interface ProducerPerfSummary {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

export type ProducerPerfRun = KafkaToolRun<ProducerPerfSummary>;

const NUM = '([0-9]+(?:\\.[0-9]+)?)';
const SUMMARY = new RegExp(
  `^${NUM} records sent, ${NUM} records/sec \\(${NUM} MB/sec\\), ${NUM} ms avg latency, ${NUM} ms max latency, ` +
    `${NUM} ms 50th, ${NUM} ms 95th, ${NUM} ms 99th, ${NUM} ms 99\\.9th`,
);

/** Picks the summary out of the tool's output; the periodic progress lines lack the percentiles. */
export function parseProducerPerfSummary(output: string): ProducerPerfSummary | undefined {
  for (const line of output.split('\n').reverse()) {
    const m = SUMMARY.exec(line.trim());
    if (!m) continue;
    const n = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return {
      records: n[0],
      recordsPerSec: n[1],
      mbPerSec: n[2],
      avgLatencyMs: n[3],
      maxLatencyMs: n[4],
      p50Ms: n[5],
      p95Ms: n[6],
      p99Ms: n[7],
      p999Ms: n[8],
    };
  }
  return undefined;
}

/** The tool, its arguments and how its summary is read. */
function producerPerformance(options: ProducerPerfOptions): KafkaToolOptions<ProducerPerfSummary> {
  const props = { 'bootstrap.servers': options.brokers, ...options.producerProps };
  return {
    tool: 'ProducerPerformance',
    logName: 'producer-perf',
    version: options.version ?? defaultKafkaVersion(),
    args: [
      '--topic',
      options.topic,
      '--num-records',
      String(options.numRecords),
      '--record-size',
      String(options.recordSize),
      '--throughput',
      String(options.throughput ?? -1),
      '--producer-props',
      ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
    ],
    heap: options.heap,
    parse: parseProducerPerfSummary,
  };
}

/**
 * Starts `org.apache.kafka.tools.ProducerPerformance`. The topic must exist:
 * pipe's local broker does not create topics on demand.
 */
export function startProducerPerformance(options: ProducerPerfOptions): Promise<ProducerPerfRun> {
  return startKafkaTool(producerPerformance(options));
}

/** Runs ProducerPerformance to the end and returns its summary. */
export function runProducerPerformance(options: ProducerPerfOptions): Promise<ProducerPerfSummary> {
  return runKafkaTool(producerPerformance(options));
}
