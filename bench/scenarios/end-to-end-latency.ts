/**
 * Scenario 3: file → topic → file at a steady rate, timing each line from its
 * append to the source file to its appearance in the sink file. The writer
 * and the reader both live in this process, so both ends use one clock.
 */
import { closeSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startConnectStandalone } from '../../src/kafka/local/connect.js';
import type { BenchContext } from '../context.js';
import { line } from '../fixtures.js';
import { CONNECT_HEAP } from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { percentile } from '../stats.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  lines: number;
}

const WRITE_TICK_MS = 10;
const READ_TICK_MS = 5;

/** Follows a growing file, handing each complete new line to `onLine`. */
function follow(file: string, onLine: (text: string, at: number) => void): () => void {
  let position = 0;
  let partial = '';
  const buffer = Buffer.alloc(1 << 20);
  const timer = setInterval(() => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, position);
        if (n === 0) break;
        position += n;
        const at = performance.now();
        const lines = (partial + buffer.toString('utf8', 0, n)).split('\n');
        partial = lines.pop()!;
        for (const l of lines) onLine(l, at);
      }
    } finally {
      closeSync(fd);
    }
  }, READ_TICK_MS);
  return () => clearInterval(timer);
}

async function until(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  failure?: () => string | undefined,
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    const failed = failure?.();
    if (failed) throw new Error(`${what}: ${failed}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Warms the pipeline up with one line, then appends at the steady rate and times every line. */
async function measure(
  ctx: BenchContext,
  input: string,
  output: string,
  failure?: () => string | undefined,
): Promise<Latencies> {
  const { latencyRate, latencySeconds, recordSize } = ctx.sizes;
  const total = latencyRate * latencySeconds;
  const appendedAt = new Float64Array(total);
  const latencies: number[] = [];
  let warm = false;
  const stopFollowing = follow(output, (text, at) => {
    if (text === 'warmup') {
      warm = true;
      return;
    }
    const seq = Number(text.slice(5, 14));
    if (Number.isInteger(seq) && seq < total) latencies.push(at - appendedAt[seq]!);
  });
  const fd = openSync(input, 'a');
  try {
    writeSync(fd, 'warmup\n');
    await until('the warm-up line in the sink file', () => warm, 120_000, failure);
    const started = performance.now();
    let written = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * latencyRate));
        if (due > written) {
          const lines: string[] = [];
          for (let i = written; i < due; i++) lines.push(line(i, recordSize));
          const now = performance.now();
          writeSync(fd, `${lines.join('\n')}\n`);
          appendedAt.fill(now, written, due);
          written = due;
        }
        if (written >= total) {
          clearInterval(timer);
          resolve();
        }
      }, WRITE_TICK_MS);
    });
    await until(
      `all ${total} lines in the sink file (${latencies.length} arrived)`,
      () => latencies.length >= total,
      60_000,
      failure,
    );
  } finally {
    closeSync(fd);
    stopFollowing();
  }
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    lines: latencies.length,
  };
}

async function pipeSide(ctx: BenchContext, i: number): Promise<Latencies> {
  const input = join(ctx.workDir, `latency-pipe-${i}.in.txt`);
  const output = join(ctx.workDir, `latency-pipe-${i}.out.txt`);
  writeFileSync(input, '');
  const topic = benchTopic('latency', 'pipe', i);
  try {
    return await withPipeWorker(
      ctx,
      'bench-latency',
      {
        latency: {
          topics: { [topic]: topicDecl() },
          sources: {
            'latency-source': { connector: 'file', topic, config: { file: input }, value: JSON_WITH_SCHEMAS },
          },
          sinks: {
            'latency-sink': {
              connector: 'file',
              topics: [topic],
              config: { file: output },
              value: JSON_WITH_SCHEMAS,
            },
          },
        },
      },
      (run) => measure(ctx, input, output, run.worker.failure),
    );
  } finally {
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
}

async function connectSide(ctx: BenchContext, i: number): Promise<Latencies> {
  const input = join(ctx.workDir, `latency-connect-${i}.in.txt`);
  const output = join(ctx.workDir, `latency-connect-${i}.out.txt`);
  writeFileSync(input, '');
  const topic = benchTopic('latency', 'connect', i);
  await createBenchTopic(ctx.kafka, topic);
  const worker = await startConnectStandalone({
    brokers: ctx.brokers,
    version: ctx.kafkaVersion,
    heap: CONNECT_HEAP,
    connectors: [
      { name: `latency-source-${topic}`, 'connector.class': 'FileStreamSourceConnector', file: input, topic },
      {
        name: `latency-sink-${topic}`,
        'connector.class': 'FileStreamSinkConnector',
        file: output,
        topics: topic,
      },
    ],
  });
  try {
    return await measure(ctx, input, output);
  } finally {
    await worker.stop();
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
}

export const endToEndLatency: Scenario = {
  name: 'end-to-end-latency',
  title: 'file → topic → file latency at a steady rate',
  method: (ctx) =>
    [
      `One worker runs a file source and a file sink joined by a topic of 1 partition (JsonConverter with schemas on both). After one warm-up line has come through, this process appends ${ctx.sizes.latencyRate.toLocaleString('en')} numbered lines of ${ctx.sizes.recordSize} bytes per second to the source file for ${ctx.sizes.latencySeconds} s (a batch every ${WRITE_TICK_MS} ms), and reads the sink file every ${READ_TICK_MS} ms; a line's latency is from its append to the read that finds it, on one clock, so the figures include up to ${READ_TICK_MS} ms of sampling.`,
      '- **pipe**: the two connectors in one project; `pipe apply --auto-approve --no-wait`, then `pipe run`.',
      '- **Kafka Connect**: one `ConnectStandalone` with `FileStreamSourceConnector` and `FileStreamSinkConnector`, settings at their defaults.',
    ].join('\n'),
  async run(ctx) {
    const p50: RunFigures[] = [];
    const p99: RunFigures[] = [];
    const max: RunFigures[] = [];
    let reason: string | undefined;
    for (let i = 0; i < ctx.sizes.runs; i++) {
      ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
      let p: Latencies | null = null;
      try {
        p = await pipeSide(ctx, i);
        ctx.log(`  pipe: p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, max ${p.max.toFixed(1)} ms`);
      } catch (err) {
        if (!(err instanceof NotMeasured)) throw err;
        reason = err.message;
        ctx.log(`  pipe: not measured: ${reason}`);
      }
      const c = await connectSide(ctx, i);
      ctx.log(
        `  connect: p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, max ${c.max.toFixed(1)} ms`,
      );
      const r = (x: number) => Math.round(x * 10) / 10;
      p50.push(runFigures(p && r(p.p50), r(c.p50)));
      p99.push(runFigures(p && r(p.p99), r(c.p99)));
      max.push(runFigures(p && r(p.max), r(c.max)));
    }
    const note = reason ? { note: `pipe not measured: ${reason}` } : {};
    const peerName = 'Kafka Connect FileStreamSource + FileStreamSink';
    return [
      row({ name: 'end-to-end latency p50', unit: 'ms', better: 'lower', peerName, runs: p50, ...note }),
      row({ name: 'end-to-end latency p99', unit: 'ms', better: 'lower', peerName, runs: p99, ...note }),
      row({ name: 'end-to-end latency max', unit: 'ms', better: 'lower', peerName, runs: max, ...note }),
    ];
  },
};
