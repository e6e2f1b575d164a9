/**
 * Scenario 6: what a worker costs in memory: its peak RSS while moving the
 * file-source data, and its RSS with many pipelines running but idle.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Properties, startConnectStandalone } from '../../src/kafka/local/connect.js';
import type { BenchContext } from '../context.js';
import { idleRowName } from '../curves.js';
import { javaChildOf, memoryOf } from '../measure.js';
import { CONNECT_HEAP } from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

interface Idle {
  input: string;
  output: string;
  topic: string;
}

/** `connectors` / 2 (an even count) pairs of a file source and a file sink on empty files, joined by a topic each. */
function idlePipelines(ctx: BenchContext, connectors: number, side: string, run: number): Idle[] {
  return Array.from({ length: connectors / 2 }, (_, k) => {
    const input = join(ctx.workDir, `idle-${side}-${run}-${k}.in.txt`);
    writeFileSync(input, '');
    return {
      input,
      output: join(ctx.workDir, `idle-${side}-${run}-${k}.out.txt`),
      topic: benchTopic(`idle${connectors}`, `${side}${k}`, run),
    };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pipeIdle(ctx: BenchContext, connectors: number, run: number): Promise<number | null> {
  const idle = idlePipelines(ctx, connectors, 'pipe', run);
  const pipelines: Record<string, Record<string, unknown>> = {};
  idle.forEach((p, k) => {
    pipelines[`idle-${k}`] = {
      topics: { [p.topic]: topicDecl() },
      sources: {
        [`idle-source-${k}`]: {
          connector: 'file',
          topic: p.topic,
          config: { file: p.input },
          value: JSON_WITH_SCHEMAS,
        },
      },
      sinks: {
        [`idle-sink-${k}`]: {
          connector: 'file',
          topics: [p.topic],
          config: { file: p.output },
          value: JSON_WITH_SCHEMAS,
        },
      },
    };
  });
  try {
    return await withPipeWorker(ctx, 'bench-idle', pipelines, async (w) => {
      await sleep(ctx.sizes.idleSeconds * 1000);
      const failure = w.worker.failure();
      if (failure) throw new Error(failure);
      return memoryOf(w.worker.pid)?.rssMb ?? null;
    });
  } finally {
    await deleteBenchTopics(
      ctx.kafka,
      idle.map((p) => p.topic),
    );
  }
}

async function connectIdle(ctx: BenchContext, connectors: number, run: number): Promise<number | null> {
  const idle = idlePipelines(ctx, connectors, 'connect', run);
  for (const p of idle) await createBenchTopic(ctx.kafka, p.topic);
  const worker = await startConnectStandalone({
    brokers: ctx.brokers,
    version: ctx.kafkaVersion,
    heap: CONNECT_HEAP,
    connectors: idle.flatMap((p, k): Properties[] => [
      {
        name: `idle-source-${k}`,
        'connector.class': 'FileStreamSourceConnector',
        file: p.input,
        topic: p.topic,
      },
      {
        name: `idle-sink-${k}`,
        'connector.class': 'FileStreamSinkConnector',
        file: p.output,
        topics: p.topic,
      },
    ]),
  });
  try {
    await sleep(ctx.sizes.idleSeconds * 1000);
    const java = worker.pid === undefined ? undefined : javaChildOf(worker.pid);
    return java === undefined ? null : (memoryOf(java)?.rssMb ?? null);
  } finally {
    await worker.stop();
    await deleteBenchTopics(
      ctx.kafka,
      idle.map((p) => p.topic),
    );
  }
}

const mb = (x: number | null) => (x === null ? null : Math.round(x));

export const workerMemory: Scenario = {
  name: 'worker-memory',
  title: 'worker memory',
  method: (ctx) =>
    [
      'Resident memory of the worker process, read from `/proc/<pid>/status`: for pipe the `pipe run` Node process, for Kafka Connect its JVM.',
      '- **during file-source**: the peak (`VmHWM`) at the end of each file-source run, of the same runs as the file-source figures.',
      `- **${ctx.sizes.idleConnectors.join(' and ')} connectors idle**: as many connectors in one worker, half of them file sources and half file sinks, in pipelines of a source and a sink on empty files joined by their own topic (JsonConverter with schemas); \`VmRSS\` after ${ctx.sizes.idleSeconds} s. Kafka Connect runs the same connectors in one \`ConnectStandalone\` (heap -Xms256m -Xmx2g, as its scripts set). The runs before issue 17 reported 20 pipelines: the 40 connectors here.`,
    ].join('\n'),
  async run(ctx) {
    const during: RunFigures[] = ctx.memory.pipe.map((p, k) =>
      runFigures(mb(p), mb(ctx.memory.peer[k] ?? null)),
    );
    const idle: RunFigures[][] = ctx.sizes.idleConnectors.map(() => []);
    let reason: string | undefined;
    for (let i = 0; i < ctx.sizes.runs; i++) {
      for (const [k, connectors] of ctx.sizes.idleConnectors.entries()) {
        let p: number | null = null;
        if (reason === undefined) {
          try {
            p = await pipeIdle(ctx, connectors, i);
          } catch (err) {
            if (!(err instanceof NotMeasured)) throw err;
            reason = err.message;
          }
        }
        const c = await connectIdle(ctx, connectors, i);
        ctx.log(
          `  run ${i + 1}, ${connectors} connectors: idle RSS pipe ${p === null ? '-' : Math.round(p)} MB, Kafka Connect ${c === null ? '-' : Math.round(c)} MB`,
        );
        idle[k]!.push(runFigures(mb(p), mb(c)));
      }
    }
    const duringNote =
      during.length === 0
        ? 'not measured: file-source did not run (use --only file-source,worker-memory)'
        : during.every((r) => r.pipe === null)
          ? 'pipe not measured: see file-source'
          : undefined;
    return [
      row({
        name: 'worker peak RSS during file-source',
        unit: 'MB',
        better: 'lower',
        peerName: 'Kafka Connect JVM',
        runs: during.length > 0 ? during : [runFigures(null, null)],
        ...(duringNote ? { note: duringNote } : {}),
      }),
      ...ctx.sizes.idleConnectors.map((connectors, k) =>
        row({
          name: idleRowName(connectors),
          unit: 'MB',
          better: 'lower',
          peerName: 'Kafka Connect JVM',
          runs: idle[k]!,
          ...(reason ? { note: `pipe not measured: ${reason}` } : {}),
        }),
      ),
    ];
  },
};
