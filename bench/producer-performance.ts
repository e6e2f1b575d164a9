/**
 * Kafka's own command-line tools from the same jars as the local broker: the
 * producer ceiling that benchmarks compare pipe's data path with.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipeError } from '../src/errors.js';
import { defaultKafkaVersion, resolveJars } from '../src/kafka/local/jars.js';
import { type JavaProcess, runJava } from '../src/kafka/local/java.js';
import { writeLogConfig } from '../src/kafka/local/logging.js';

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

export interface ProducerPerfRun {
  java: JavaProcess;
  logFile: string;
  /** Resolves with the summary once the tool exits; rejects when it fails or prints none. */
  result: Promise<ProducerPerfSummary>;
  stop(): Promise<void>;
}

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

/**
 * Starts `org.apache.kafka.tools.ProducerPerformance`. The topic must exist:
 * pipe's local broker does not create topics on demand.
 */
export async function startProducerPerformance(options: ProducerPerfOptions): Promise<ProducerPerfRun> {
  const jars = await resolveJars(options.version ?? defaultKafkaVersion(), 'connect');
  const dir = await mkdtemp(join(tmpdir(), 'pipe-producer-perf-'));
  const logFile = join(dir, 'producer-perf.log');
  const logArgs = await writeLogConfig(dir, { root: 'warn', stream: 'stderr' });
  const props = { 'bootstrap.servers': options.brokers, ...options.producerProps };
  const java = runJava({
    classpath: jars.classpath,
    mainClass: 'org.apache.kafka.tools.ProducerPerformance',
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
    jvmArgs: [`-Xmx${options.heap ?? '512m'}`, '-XX:+UseG1GC', ...logArgs],
    logFile,
  });
  const result = java.exited.then(async (code) => {
    const output = await readFile(logFile, 'utf8').catch(() => '');
    const summary = parseProducerPerfSummary(output);
    if (code !== 0 || !summary) {
      throw new PipeError(
        'KAFKA_LAUNCH',
        `ProducerPerformance ${code !== 0 ? `exited with ${code}` : 'printed no summary'}:\n${output.trim().split('\n').slice(-15).join('\n')}`,
        { meta: { file: logFile } },
      );
    }
    return summary;
  });
  const cleanup = result.then(
    () => rm(dir, { recursive: true, force: true }),
    () => undefined,
  );
  return {
    java,
    logFile,
    result,
    async stop() {
      await java.stop();
      await cleanup;
    },
  };
}

/** Runs ProducerPerformance to the end and returns its summary. */
export async function runProducerPerformance(options: ProducerPerfOptions): Promise<ProducerPerfSummary> {
  const run = await startProducerPerformance(options);
  try {
    return await run.result;
  } finally {
    await run.stop();
  }
}
