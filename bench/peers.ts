/**
 * The peers pipe is compared with, each run the way its users run it and
 * measured from outside exactly as pipe is (see measure.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startConnectStandalone, waitForConnectorRunning } from '../src/kafka/local/connect.js';
import type { ProducerJob } from './clients/kafkajs-producer.js';
import type { BenchContext } from './context.js';
import { javaChildOf, memoryOf, type Throughput, watchFile, watchTopic } from './measure.js';
import { startProducerPerformance } from './producer-performance.js';

/** Kafka Connect's shipped start scripts give the worker this heap. */
export const CONNECT_HEAP = '2g';

export interface Measured {
  throughput: Throughput;
  /** Peak RSS (VmHWM) of the process doing the work, in MB. */
  peakMb: number | null;
  details?: Record<string, unknown>;
}

function peakOfJava(guardPid: number | undefined): number | null {
  const pid = guardPid === undefined ? undefined : javaChildOf(guardPid);
  return pid === undefined ? null : (memoryOf(pid)?.peakMb ?? null);
}

/**
 * Kafka Connect standalone with one FileStreamSource (JsonConverter with
 * schemas) reading `file` into `topic`; `extra` adds connector settings (its
 * transforms, say).
 */
export async function connectFileSource(
  ctx: BenchContext,
  file: string,
  topic: string,
  records: number,
  extra: Record<string, string> = {},
): Promise<Measured> {
  const worker = await startConnectStandalone({
    brokers: ctx.brokers,
    version: ctx.kafkaVersion,
    heap: CONNECT_HEAP,
    connectors: [
      {
        name: `bench-source-${topic}`,
        'connector.class': 'FileStreamSourceConnector',
        'tasks.max': '1',
        file,
        topic,
        ...extra,
      },
    ],
  });
  try {
    const throughput = await watchTopic(ctx.kafka, topic, records);
    return { throughput, peakMb: peakOfJava(worker.pid) };
  } finally {
    await worker.stop();
  }
}

/** Kafka Connect standalone with one FileStreamSink (JsonConverter with schemas) writing `topic` to `file`. */
export async function connectFileSink(
  ctx: BenchContext,
  topic: string,
  file: string,
  bytes: number,
  tasks = 1,
): Promise<Measured> {
  const name = `bench-sink-${Date.now().toString(36)}`;
  const worker = await startConnectStandalone({
    brokers: ctx.brokers,
    version: ctx.kafkaVersion,
    heap: CONNECT_HEAP,
    connectors: [
      {
        name,
        'connector.class': 'FileStreamSinkConnector',
        'tasks.max': String(tasks),
        file,
        topics: topic,
      },
    ],
  });
  try {
    await waitForConnectorRunning(worker.restUrl, name);
    const throughput = await watchFile(file, bytes);
    return { throughput, peakMb: peakOfJava(worker.pid) };
  } finally {
    await worker.stop();
  }
}

/** Kafka's ProducerPerformance: the ceiling of producing to this broker from this machine. */
export async function producerCeiling(
  ctx: BenchContext,
  topic: string,
  records: number,
  recordSize = ctx.sizes.recordSize,
): Promise<Measured> {
  const run = await startProducerPerformance({
    brokers: ctx.brokers,
    topic,
    numRecords: records,
    recordSize,
    version: ctx.kafkaVersion,
  });
  let exited = false;
  run.java.exited.then(() => {
    exited = true;
  });
  try {
    const throughput = await watchTopic(ctx.kafka, topic, records, {
      intervalMs: 20,
      failure: () => (exited ? 'ProducerPerformance exited' : undefined),
    });
    const summary = await run.result;
    return { throughput, peakMb: null, details: { selfReported: summary.recordsPerSec } };
  } finally {
    await run.stop();
  }
}

export type ClientName = 'kafkajs' | 'platformatic';

const PRODUCER_SCRIPTS: Record<ClientName, string> = {
  kafkajs: fileURLToPath(new URL('./clients/kafkajs-producer.js', import.meta.url)),
  platformatic: fileURLToPath(new URL('./clients/platformatic-producer.js', import.meta.url)),
};

/** Runs a producer script to its end in its own process; `done` resolves when it exits cleanly. */
export function startProducer(
  client: ClientName,
  job: ProducerJob,
): { done: Promise<void>; failure(): string | undefined } {
  return startScript(PRODUCER_SCRIPTS[client], client, job);
}

/** Runs `script` (a bench client, given `job` as JSON) to its end in its own process. */
export function startScript(
  script: string,
  client: string,
  job: unknown,
): { done: Promise<void>; failure(): string | undefined } {
  const child = spawn(process.execPath, [script, JSON.stringify(job)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let failure: string | undefined;
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const kill = () => child.kill('SIGKILL');
  process.on('exit', kill);
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => {
      process.off('exit', kill);
      if (code === 0) return resolve();
      failure = `the ${client} producer exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`;
      reject(new Error(failure));
    });
  });
  done.catch(() => undefined);
  return { done, failure: () => failure };
}

/** A Kafka client alone, producing batches of 1,000 raw records with `inFlight` sends outstanding. */
export async function clientProducer(
  ctx: BenchContext,
  client: ClientName,
  topic: string,
  records: number,
  inFlight: number,
): Promise<Measured> {
  const producer = startProducer(client, {
    brokers: ctx.brokers,
    topic,
    records,
    recordSize: ctx.sizes.recordSize,
    batch: 1000,
    inFlight,
  });
  const throughput = await watchTopic(ctx.kafka, topic, records, { failure: producer.failure });
  await producer.done;
  return { throughput, peakMb: null };
}
