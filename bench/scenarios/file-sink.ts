/**
 * Scenario 2: a topic of JsonConverter envelopes into a text file. pipe
 * against Kafka Connect's FileStreamSink, both reading the same topic from
 * its start under a new consumer group. file-sink-tasks does the same on a
 * topic of 6 partitions with 1 task and with 6 (one partition each).
 */
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { watchFile, watchTopic } from '../measure.js';
import { connectFileSink, type Measured, startProducer } from '../peers.js';
import { JSON_WITH_SCHEMAS, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type Row, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

async function pipeFileSink(
  ctx: BenchContext,
  topic: string,
  file: string,
  bytes: number,
  tasks = 1,
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
            tasks,
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

async function fillTopic(ctx: BenchContext, topic: string, partitions = 1): Promise<void> {
  const { records, recordSize } = ctx.sizes;
  await createBenchTopic(ctx.kafka, topic, partitions);
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
    const topic = benchTopic('sink', 'input', 0);
    ctx.log(`  filling ${topic} with ${ctx.sizes.records} envelopes`);
    await fillTopic(ctx, topic);
    try {
      return [await measureSinks(ctx, topic, 1, 'file-sink')];
    } finally {
      await deleteBenchTopics(ctx.kafka, [topic]);
    }
  },
};

/** pipe's sink and Connect's, `tasks` tasks each, back to back per run, who goes first alternating. */
async function measureSinks(ctx: BenchContext, topic: string, tasks: number, name: string): Promise<Row> {
  const { records, recordSize } = ctx.sizes;
  const bytes = records * (recordSize + 1);
  const runs: RunFigures[] = [];
  for (let i = 0; i < ctx.sizes.runs; i++) {
    ctx.log(` ${name} run ${i + 1}/${ctx.sizes.runs}`);
    const measure = async (side: string, fn: (file: string) => Promise<Measured>) => {
      try {
        const m = await fn(join(ctx.workDir, `${name.replace(/[^a-z0-9]+/gi, '-')}-${side}-${i}.txt`));
        const perSecond = Math.round((m.throughput.perSecond / bytes) * records);
        ctx.log(`  ${side}: ${perSecond} records/s`);
        return { perSecond, detail: { coarse: m.throughput.coarse, peakMb: m.peakMb } };
      } catch (err) {
        if (!(err instanceof NotMeasured)) throw err;
        ctx.log(`  ${side}: not measured: ${err.message}`);
        return { perSecond: null, detail: { reason: err.message } };
      }
    };
    const pipeSide = () => measure('pipe', (f) => pipeFileSink(ctx, topic, f, bytes, tasks));
    const connectSide = () => measure('connect', (f) => connectFileSink(ctx, topic, f, bytes, tasks));
    const pipeFirst = i % 2 === 0;
    const a = await (pipeFirst ? pipeSide() : connectSide());
    const b = await (pipeFirst ? connectSide() : pipeSide());
    const [p, c] = pipeFirst ? [a, b] : [b, a];
    runs.push(runFigures(p.perSecond, c.perSecond, { pipeDetail: p.detail, peerDetail: c.detail }));
  }
  const reason = runs.map((r) => (r['pipeDetail'] as { reason?: string }).reason).find(Boolean);
  return row({
    name,
    unit: 'records/s',
    better: 'higher',
    peerName: 'Kafka Connect FileStreamSink',
    runs,
    ...(reason ? { note: `pipe not measured: ${reason}` } : {}),
  });
}

const PARTITIONS = 6;
const TASKS = [1, PARTITIONS];

export const fileSinkTasks: Scenario = {
  name: 'file-sink-tasks',
  title: `topic of ${PARTITIONS} partitions → file, ${TASKS.join(' and ')} tasks`,
  method: (ctx) =>
    [
      `As file-sink, on one topic of ${PARTITIONS} partitions holding ${ctx.sizes.records.toLocaleString('en')} envelopes spread over them by the producer, once with one task and once with ${PARTITIONS} (one partition per task, all members of the connector's consumer group).`,
      `- **pipe**: the sink with \`tasks: 1\`, then \`tasks: ${PARTITIONS}\`; the tasks share the worker's one Node process (one thread).`,
      `- **Kafka Connect**: \`FileStreamSinkConnector\` with \`tasks.max=1\`, then \`tasks.max=${PARTITIONS}\` (a thread per task).`,
      "Timed as in file-sink, from the first bytes in the file to the last line, so the group's first rebalance counts only where it delays lines already flowing.",
    ].join('\n'),
  async run(ctx) {
    const topic = benchTopic('sink-tasks', 'input', 0);
    ctx.log(`  filling ${topic} (${PARTITIONS} partitions) with ${ctx.sizes.records} envelopes`);
    await fillTopic(ctx, topic, PARTITIONS);
    try {
      const rows: Row[] = [];
      for (const tasks of TASKS)
        rows.push(
          await measureSinks(ctx, topic, tasks, `file-sink, ${PARTITIONS} partitions, tasks: ${tasks}`),
        );
      return rows;
    } finally {
      await deleteBenchTopics(ctx.kafka, [topic]);
    }
  },
};
