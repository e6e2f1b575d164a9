/**
 * Throughput is measured from outside the process under test, the same way
 * for pipe and its peers: the topic's high watermarks or the sink file's
 * size, sampled on a short interval. The rate counts from the first sample
 * that shows data to the first that shows all of it, so start-up time (a
 * JVM's or Node's) is left out and only the data path is timed.
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Admin, Kafka } from '../src/kafka/client.js';
import { withAdmin } from './topics.js';

export interface Throughput {
  /** Units (records or bytes) counted between the two samples. */
  counted: number;
  elapsedMs: number;
  perSecond: number;
  /** The whole transfer fitted between two samples, so the rate is a lower bound. */
  coarse: boolean;
}

export interface WatchOptions {
  intervalMs?: number;
  /** How long to wait for the first unit. */
  startTimeoutMs?: number;
  /** How long progress may stall once started. */
  stallTimeoutMs?: number;
  /** Checked on every sample: a dead process ends the wait with its reason. */
  failure?: () => string | undefined;
}

export async function watch(
  what: string,
  read: () => Promise<number>,
  target: number,
  options: WatchOptions,
): Promise<Throughput> {
  const interval = options.intervalMs ?? 50;
  const began = performance.now();
  let previous = { t: began, v: 0 };
  let first: { t: number; v: number } | undefined;
  let coarse = false;
  let lastProgress = { t: began, v: -1 };
  let readError: unknown;
  for (;;) {
    let v: number;
    try {
      v = await read();
    } catch (err) {
      // A topic created a moment ago can be unknown to the broker answering; the next sample retries.
      readError = err;
      v = previous.v;
    }
    const t = performance.now();
    if (v > 0 && first === undefined) {
      // Everything arrived between two samples: time it from the empty one.
      coarse = v >= target;
      first = coarse ? previous : { t, v };
    }
    if (first !== undefined && v >= target) {
      const counted = target - first.v;
      const elapsedMs = t - first.t;
      return { counted, elapsedMs, perSecond: (counted / elapsedMs) * 1000, coarse };
    }
    if (v !== lastProgress.v) lastProgress = { t, v };
    const failed = options.failure?.();
    if (failed) throw new Error(`${what}: ${failed} (at ${v} of ${target})`);
    if (first === undefined && t - began > (options.startTimeoutMs ?? 120_000)) {
      const cause = readError === undefined ? '' : ` (last error: ${String(readError)})`;
      throw new Error(`${what}: nothing arrived in ${Math.round((t - began) / 1000)} s${cause}`);
    }
    if (first !== undefined && t - lastProgress.t > (options.stallTimeoutMs ?? 30_000)) {
      throw new Error(`${what}: stalled at ${v} of ${target}`);
    }
    previous = { t, v };
    await new Promise((r) => setTimeout(r, interval));
  }
}

export async function topicRecords(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
}

/** Records per second into `topic` until it holds `target` records. */
export function watchTopic(kafka: Kafka, topic: string, target: number, options: WatchOptions = {}) {
  return withAdmin(kafka, (admin) =>
    watch(`topic ${topic}`, () => topicRecords(admin, topic), target, options),
  );
}

/** Records per second into all of `topics` together until they hold `target` records. */
export function watchTopics(kafka: Kafka, topics: string[], target: number, options: WatchOptions = {}) {
  return withAdmin(kafka, (admin) =>
    watch(
      `topics ${topics.join(', ')}`,
      async () => (await Promise.all(topics.map((t) => topicRecords(admin, t)))).reduce((a, b) => a + b, 0),
      target,
      options,
    ),
  );
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** Bytes per second into `file` until it is `targetBytes` long. */
export function watchFile(file: string, targetBytes: number, options: WatchOptions = {}) {
  return watch(`file ${file}`, () => fileSize(file), targetBytes, options);
}

/** Bytes per second into all of `files` together until they hold `targetBytes`. */
export function watchFiles(files: string[], targetBytes: number, options: WatchOptions = {}) {
  return watch(
    `files ${files.join(', ')}`,
    async () => (await Promise.all(files.map(fileSize))).reduce((a, b) => a + b, 0),
    targetBytes,
    options,
  );
}

/** Resident set size now and its peak (VmHWM) in MB, from /proc; undefined once the process is gone. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * The JVM under the launcher's shell guard (see src/kafka/local/java.ts),
 * whose memory is what a peer costs.
 */
export function javaChildOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return children
      .map(Number)
      .find((c) => c > 0 && readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'java');
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS until stopped; returns the highest sample in MB. */
export function sampleRss(pid: number, intervalMs = 250): { stop(): number | null } {
  let peak: number | null = null;
  const take = () => {
    const m = memoryOf(pid);
    if (m && (peak === null || m.rssMb > peak)) peak = m.rssMb;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return peak;
    },
  };
}
