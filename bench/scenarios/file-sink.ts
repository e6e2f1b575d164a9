/**
 * Scenario 2: a topic of JsonConverter envelopes into a text file. pipe
 * against Kafka Connect's FileStreamSink, both reading the same topic from
 * its start under a new consumer group.
 */
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { watchFile, watchTopic } from '../measure.js';
import { connectFileSink, type Measured, startProducer } from '../peers.js';
import { JSON_WITH_SCHEMAS, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

async function pipeFileSink(
  ctx: BenchContext,
  topic: string,
  file: string,
  bytes: number,
): Promise<Measured> {
  return withPipeWorker(
    ctx,
    'bench-file-sink',
    {
      'file-sink': {
        sinks: {
          [`bench-sink-${Date.now().toString(36)}`]: {
            connector: 'file',
            topics: [topic],
            config: { file },
            value: JSON_WITH_SCHEMAS,
          },
        },
      },
    },
    async (run) => {
      const throughput = await watchFile(file, bytes, run.watchOptions);
      return { throughput, peakMb: run.peakMb() };
    },
  );
}

async function fillTopic(ctx: BenchContext, topic: string): Promise<void> {
  const { records, recordSize } = ctx.sizes;
  await createBenchTopic(ctx.kafka, topic);
  const producer = startProducer('kafkajs', {
    brokers: ctx.brokers,
    topic,
    records,
    recordSize,
    batch: 1000,
    inFlight: 8,
    envelopes: true,
  });
  await producer.done;
  await watchTopic(ctx.kafka, topic, records, { startTimeoutMs: 10_000 });
}

export const fileSink: Scenario = {
  name: 'file-sink',
  title: 'topic → file (JsonConverter with schemas)',
  method: (ctx) =>
    [
      `One topic of 1 partition holding ${ctx.sizes.records.toLocaleString('en')} JsonConverter envelopes (with schemas) of numbered ${ctx.sizes.recordSize}-byte lines, written once before the runs; each side reads it from the start under a new consumer group and appends each payload as a line to a new file.`,
      '- **pipe**: one `connector: file` sink, `value: {converter: json, schemas: true}`; `pipe apply --auto-approve --no-wait`, then `pipe run`.',
      `- **Kafka Connect**: \`ConnectStandalone\` (as in file-source) with one \`FileStreamSinkConnector\`, \`tasks.max=1\`, other settings at their defaults.`,
      `Both are timed by the sink file's size, sampled every 50 ms, from the first sample that shows bytes to the one that shows all ${ctx.sizes.records.toLocaleString('en')} lines; records/s is lines per second.`,
    ].join('\n'),
  async run(ctx) {
    const { records, recordSize } = ctx.sizes;
    const bytes = records * (recordSize + 1);
    const topic = benchTopic('sink', 'input', 0);
    ctx.log(`  filling ${topic} with ${records} envelopes`);
    await fillTopic(ctx, topic);
    const runs: RunFigures[] = [];
    try {
      for (let i = 0; i < ctx.sizes.runs; i++) {
        ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
        const measure = async (name: string, fn: (file: string) => Promise<Measured>) => {
          try {
            const m = await fn(join(ctx.workDir, `file-sink-${name}-${i}.txt`));
            const perSecond = Math.round((m.throughput.perSecond / bytes) * records);
            ctx.log(`  ${name}: ${perSecond} records/s`);
            return { perSecond, detail: { coarse: m.throughput.coarse, peakMb: m.peakMb } };
          } catch (err) {
            if (!(err instanceof NotMeasured)) throw err;
            ctx.log(`  ${name}: not measured: ${err.message}`);
            return { perSecond: null, detail: { reason: err.message } };
          }
        };
        const pipeSide = () => measure('pipe', (f) => pipeFileSink(ctx, topic, f, bytes));
        const connectSide = () => measure('connect', (f) => connectFileSink(ctx, topic, f, bytes));
        const pipeFirst = i % 2 === 0;
        const a = await (pipeFirst ? pipeSide() : connectSide());
        const b = await (pipeFirst ? connectSide() : pipeSide());
        const [p, c] = pipeFirst ? [a, b] : [b, a];
        runs.push(runFigures(p.perSecond, c.perSecond, { pipeDetail: p.detail, peerDetail: c.detail }));
      }
    } finally {
      await deleteBenchTopics(ctx.kafka, [topic]);
    }
    const reason = runs.map((r) => (r['pipeDetail'] as { reason?: string }).reason).find(Boolean);
    return [
      row({
        name: 'file-sink',
        unit: 'records/s',
        better: 'higher',
        peerName: 'Kafka Connect FileStreamSink',
        runs,
        ...(reason ? { note: `pipe not measured: ${reason}` } : {}),
      }),
    ];
  },
};
