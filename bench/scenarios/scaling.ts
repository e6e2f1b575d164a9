/**
 * The scaling curves: file-source and file-sink as the work grows in one
 * dimension at a time (record size, partitions, connectors in one worker),
 * pipe and Kafka Connect back to back at every point of every run.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Properties,
  startConnectStandalone,
  waitForConnectorRunning,
} from '../../src/kafka/local/connect.js';
import type { BenchContext } from '../context.js';
import { curveRowName } from '../curves.js';
import { writeLines } from '../fixtures.js';
import { javaChildOf, memoryOf, type Throughput, watchFiles, watchTopic, watchTopics } from '../measure.js';
import { CONNECT_HEAP, startProducer } from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import { type Curve, NotMeasured, type Row, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

/** One point of a curve: a job both sides do, in `connectors` equal parts. */
interface Point {
  curve: Curve;
  recordSize: number;
  /** Records of each connector's part. */
  records: number;
  partitions: number;
  connectors: number;
}

const total = (p: Point) => p.records * p.connectors;

/** What each side works on at one point: source inputs or sink topics, made once and shared by every run. */
interface Work {
  files: string[];
  topics: string[];
}

/** A batch of envelopes well under the broker's 1 MB request limit, whatever the record size. */
const fillBatch = (recordSize: number) =>
  Math.max(1, Math.min(1000, Math.floor(256_000 / (recordSize + 60))));

async function prepare(ctx: BenchContext, point: Point, tag: string): Promise<Work> {
  const parts = Array.from({ length: point.connectors }, (_, k) => k);
  if (point.curve.direction === 'file-source') {
    const files = parts.map((k) => join(ctx.workDir, `${tag}-${k}.txt`));
    for (const f of files) await writeLines(f, point.records, point.recordSize);
    return { files, topics: [] };
  }
  const topics = parts.map((k) => benchTopic(tag, `in${k}`, 0));
  for (const topic of topics) {
    await createBenchTopic(ctx.kafka, topic, point.partitions);
    await startProducer('kafkajs', {
      brokers: ctx.brokers,
      topic,
      records: point.records,
      recordSize: point.recordSize,
      batch: fillBatch(point.recordSize),
      inFlight: 8,
      envelopes: true,
    }).done;
    await watchTopic(ctx.kafka, topic, point.records, { startTimeoutMs: 10_000 });
  }
  return { files: [], topics };
}

async function release(ctx: BenchContext, work: Work): Promise<void> {
  await deleteBenchTopics(ctx.kafka, work.topics);
  for (const f of work.files) await rm(f, { force: true });
}

/** Where one side of one run writes: new topics for sources, new files for sinks. */
function outputs(ctx: BenchContext, point: Point, tag: string, side: string, run: number): string[] {
  return Array.from({ length: point.connectors }, (_, k) =>
    point.curve.direction === 'file-source'
      ? benchTopic(tag, `${side}${k}`, run)
      : join(ctx.workDir, `${tag}-${side}-${run}-${k}.out.txt`),
  );
}

/** Times the whole job from outside: records into every topic, or bytes into every file. */
function watchJob(ctx: BenchContext, point: Point, out: string[], failure?: () => string | undefined) {
  const options = failure ? { failure } : {};
  return point.curve.direction === 'file-source'
    ? watchTopics(ctx.kafka, out, total(point), options)
    : watchFiles(out, total(point) * (point.recordSize + 1), options);
}

/** Records per second of a job, whichever way it was watched. */
function recordsPerSecond(point: Point, t: Throughput): number {
  return point.curve.direction === 'file-source' ? t.perSecond : t.perSecond / (point.recordSize + 1);
}

async function pipeSide(ctx: BenchContext, point: Point, work: Work, out: string[]): Promise<Throughput> {
  const id = Date.now().toString(36);
  const source = point.curve.direction === 'file-source';
  const connectors = Object.fromEntries(
    out.map((o, k) => [
      `scale-${source ? 'source' : 'sink'}-${id}-${k}`,
      source
        ? { connector: 'file', topic: o, config: { file: work.files[k] }, value: JSON_WITH_SCHEMAS }
        : { connector: 'file', topics: [work.topics[k]], config: { file: o }, value: JSON_WITH_SCHEMAS },
    ]),
  );
  const pipeline = source
    ? { topics: Object.fromEntries(out.map((t) => [t, topicDecl(point.partitions)])), sources: connectors }
    : { sinks: connectors };
  return withPipeWorker(ctx, 'bench-scale', { scale: pipeline }, (run) =>
    watchJob(ctx, point, out, run.watchOptions.failure),
  );
}

async function connectSide(ctx: BenchContext, point: Point, work: Work, out: string[]): Promise<Throughput> {
  const id = Date.now().toString(36);
  const source = point.curve.direction === 'file-source';
  if (source) for (const t of out) await createBenchTopic(ctx.kafka, t, point.partitions);
  const connectors = out.map(
    (o, k): Properties =>
      source
        ? {
            name: `scale-source-${id}-${k}`,
            'connector.class': 'FileStreamSourceConnector',
            file: work.files[k]!,
            topic: o,
          }
        : {
            name: `scale-sink-${id}-${k}`,
            'connector.class': 'FileStreamSinkConnector',
            file: o,
            topics: work.topics[k]!,
          },
  );
  const worker = await startConnectStandalone({
    brokers: ctx.brokers,
    version: ctx.kafkaVersion,
    heap: CONNECT_HEAP,
    connectors: connectors.map((c) => ({ ...c, 'tasks.max': '1' })),
  });
  try {
    if (!source) for (const c of connectors) await waitForConnectorRunning(worker.restUrl, c.name!);
    const throughput = await watchJob(ctx, point, out);
    const java = worker.pid === undefined ? undefined : javaChildOf(worker.pid);
    ctx.log(
      `  Kafka Connect peak RSS ${Math.round(java === undefined ? 0 : (memoryOf(java)?.peakMb ?? 0))} MB`,
    );
    return throughput;
  } finally {
    await worker.stop();
  }
}

/** Both sides of every run at one point, who goes first alternating; a records/s row and an MB/s row. */
async function measurePoint(ctx: BenchContext, point: Point): Promise<Row[]> {
  const tag = `scale-${point.curve.family.replace(/ /g, '')}-${point.curve.direction}-${point.curve.x}`;
  const name = curveRowName(point.curve);
  ctx.log(` ${name}: ${total(point).toLocaleString('en')} records of ${point.recordSize} bytes`);
  const work = await prepare(ctx, point, tag);
  const records: RunFigures[] = [];
  const mb: RunFigures[] = [];
  let reason: string | undefined;
  try {
    for (let i = 0; i < ctx.sizes.runs; i++) {
      const measure = async (side: 'pipe' | 'connect') => {
        const out = outputs(ctx, point, tag, side, i);
        try {
          const t = await (side === 'pipe' ? pipeSide : connectSide)(ctx, point, work, out);
          const perSecond = recordsPerSecond(point, t);
          ctx.log(`  run ${i + 1} ${side}: ${Math.round(perSecond)} records/s${t.coarse ? ' (coarse)' : ''}`);
          return perSecond;
        } catch (err) {
          if (!(err instanceof NotMeasured)) throw err;
          ctx.log(`  run ${i + 1} ${side}: not measured: ${err.message}`);
          reason ??= err.message;
          return null;
        } finally {
          if (point.curve.direction === 'file-source') await deleteBenchTopics(ctx.kafka, out);
          else for (const f of out) await rm(f, { force: true });
        }
      };
      const pipeFirst = i % 2 === 0;
      const a = await measure(pipeFirst ? 'pipe' : 'connect');
      const b = await measure(pipeFirst ? 'connect' : 'pipe');
      const [p, c] = pipeFirst ? [a, b] : [b, a];
      const toMb = (r: number | null) => (r === null ? null : (r * point.recordSize) / 1e6);
      records.push(runFigures(p === null ? null : Math.round(p), c === null ? null : Math.round(c)));
      mb.push(runFigures(toMb(p), toMb(c)));
    }
  } finally {
    await release(ctx, work);
  }
  const common = {
    name,
    better: 'higher' as const,
    peerName: `Kafka Connect ${point.curve.direction === 'file-source' ? 'FileStreamSource' : 'FileStreamSink'}`,
    curve: point.curve,
    ...(reason ? { note: `pipe not measured: ${reason}` } : {}),
  };
  return [row({ ...common, unit: 'records/s', runs: records }), row({ ...common, unit: 'MB/s', runs: mb })];
}

const DIRECTIONS = ['file-source', 'file-sink'] as const;

async function measureCurve(ctx: BenchContext, points: Point[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const p of points) rows.push(...(await measurePoint(ctx, p)));
  return rows;
}

const SIDES = [
  '- **pipe**: one project with the connectors in one pipeline (`connector: file`, `value: {converter: json, schemas: true}`, `tasks: 1`), `pipe apply --auto-approve --no-wait`, then `pipe run`: one worker.',
  '- **Kafka Connect**: one `ConnectStandalone` (heap -Xms256m -Xmx2g, JsonConverter with schemas) running the same connectors (`FileStreamSourceConnector` or `FileStreamSinkConnector`, `tasks.max=1`).',
  "A source reads files of numbered lines into new topics; a sink reads topics of JsonConverter envelopes, written once per point before the runs, from their start under a new consumer group into new files. Each side is timed from outside as in file-source and file-sink (the sum of the topics' high watermarks, or of the files' sizes, every 50 ms, from the first data to the last), so start-up is left out. MB/s counts the lines' bytes (10⁶ a MB), without newlines or envelopes, the same for both directions and both sides.",
];

export const scaleRecordSize: Scenario = {
  name: 'scale-record-size',
  title: 'file-source and file-sink by record size',
  method: (ctx) =>
    [
      `Record sizes ${ctx.sizes.scaleRecordSizes.join(', ')} bytes, each moving the same ${((ctx.sizes.records * ctx.sizes.recordSize) / 1e6).toLocaleString('en')} MB of lines (${ctx.sizes.records.toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes, a tenth as many of ten times the size, and so on), with one connector on a topic of 1 partition, in both directions.`,
      ...SIDES,
    ].join('\n'),
  run: (ctx) =>
    measureCurve(
      ctx,
      DIRECTIONS.flatMap((direction) =>
        ctx.sizes.scaleRecordSizes.map((size) => ({
          curve: { family: 'record size' as const, direction, x: size },
          recordSize: size,
          records: Math.max(1, Math.round((ctx.sizes.records * ctx.sizes.recordSize) / size)),
          partitions: 1,
          connectors: 1,
        })),
      ),
    ),
};

export const scalePartitions: Scenario = {
  name: 'scale-partitions',
  title: 'file-source and file-sink by partitions of the topic',
  method: (ctx) =>
    [
      `${ctx.sizes.records.toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes through one connector (one task) on a topic of 1 and of ${ctx.sizes.scalePartitions} partitions, in both directions; the source's records have no key, so each client's own partitioner spreads them.`,
      ...SIDES,
    ].join('\n'),
  run: (ctx) =>
    measureCurve(
      ctx,
      DIRECTIONS.flatMap((direction) =>
        [1, ctx.sizes.scalePartitions].map((partitions) => ({
          curve: { family: 'partitions' as const, direction, x: partitions },
          recordSize: ctx.sizes.recordSize,
          records: ctx.sizes.records,
          partitions,
          connectors: 1,
        })),
      ),
    ),
};

export const scaleConnectors: Scenario = {
  name: 'scale-connectors',
  title: 'file-source and file-sink by connectors in one worker',
  method: (ctx) =>
    [
      `${ctx.sizes.records.toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes in all, split evenly over 1 and over ${ctx.sizes.scaleConnectors} connectors in one worker, each with its own file and its own topic of 1 partition, in both directions; the figure is the whole worker's, from the first record of any connector to the last of all.`,
      ...SIDES,
    ].join('\n'),
  run: (ctx) =>
    measureCurve(
      ctx,
      DIRECTIONS.flatMap((direction) =>
        [1, ctx.sizes.scaleConnectors].map((connectors) => ({
          curve: { family: 'connectors' as const, direction, x: connectors },
          recordSize: ctx.sizes.recordSize,
          records: Math.max(1, Math.floor(ctx.sizes.records / connectors)),
          partitions: 1,
          connectors,
        })),
      ),
    ),
};
