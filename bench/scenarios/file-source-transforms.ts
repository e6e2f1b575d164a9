/**
 * Scenario: file → three transforms → topic. The same chain (HoistField,
 * InsertField, ReplaceField) in pipe's embedded worker and in Kafka Connect
 * (its own SMT classes), so the ratio says whether pipe's transforms keep up
 * with Connect's on the record path.
 */
import { join } from 'node:path';
import type { TransformSpec } from '../../src/config/model.js';
import { connectTransformProperties } from '../../src/transforms/connect-properties.js';
import type { BenchContext } from '../context.js';
import { writeLines } from '../fixtures.js';
import { watchTopic } from '../measure.js';
import { connectFileSource, type Measured } from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

const T = 'org.apache.kafka.connect.transforms.';

/** One chain for both sides: pipe reads it as YAML, Connect as its transforms.* settings. */
const CHAIN: TransformSpec[] = [
  { name: 'hoist', type: `${T}HoistField$Value`, config: { field: 'line' }, negate: false },
  {
    name: 'stamp',
    type: `${T}InsertField$Value`,
    config: { 'topic.field': 'topic', 'static.field': 'origin', 'static.value': 'bench' },
    negate: false,
  },
  { name: 'rename', type: `${T}ReplaceField$Value`, config: { renames: 'line:text' }, negate: false },
];

async function pipeSide(ctx: BenchContext, file: string, topic: string): Promise<Measured> {
  return withPipeWorker(
    ctx,
    'bench-file-source-transforms',
    {
      'file-source-transforms': {
        topics: { [topic]: topicDecl() },
        sources: {
          'bench-source': {
            connector: 'file',
            topic,
            config: { file },
            value: JSON_WITH_SCHEMAS,
            transforms: CHAIN.map(({ name, type, config }) => ({ name, type, config })),
          },
        },
      },
    },
    async (run) => {
      const throughput = await watchTopic(ctx.kafka, topic, ctx.sizes.records, run.watchOptions);
      return { throughput, peakMb: run.peakMb() };
    },
  );
}

async function side(
  ctx: BenchContext,
  name: string,
  run: number,
  create: boolean,
  measure: (topic: string) => Promise<Measured>,
): Promise<Measured | NotMeasured> {
  const topic = benchTopic('smt', name, run);
  try {
    if (create) await createBenchTopic(ctx.kafka, topic);
    const m = await measure(topic);
    ctx.log(`  ${name}: ${Math.round(m.throughput.perSecond)} records/s`);
    return m;
  } catch (err) {
    if (err instanceof NotMeasured) {
      ctx.log(`  ${name}: not measured: ${err.message}`);
      return err;
    }
    throw err;
  } finally {
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
}

const rate = (m: Measured | NotMeasured) =>
  m instanceof NotMeasured ? null : Math.round(m.throughput.perSecond);
const detail = (m: Measured | NotMeasured) =>
  m instanceof NotMeasured ? { reason: m.message } : { coarse: m.throughput.coarse };

export const fileSourceTransforms: Scenario = {
  name: 'file-source-transforms',
  title: 'file → 3 transforms → topic (JsonConverter with schemas)',
  method: (ctx) =>
    [
      `${ctx.sizes.records.toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes in one file, read into a new topic of 1 partition through three transforms: \`HoistField$Value\` (field \`line\`), \`InsertField$Value\` (the topic and a static field), \`ReplaceField$Value\` (rename \`line\` to \`text\`); values are JsonConverter envelopes with schemas.`,
      '- **pipe**: one `connector: file` source with those `transforms:`; `pipe apply --auto-approve --no-wait`, then `pipe run`.',
      `- **Kafka Connect**: \`ConnectStandalone\` (Kafka ${ctx.kafkaVersion} jars, heap as Connect's scripts set) with one \`FileStreamSourceConnector\` and the same chain as \`transforms.*\` settings (Connect's own SMT classes), written from the same list by \`connectTransformProperties\`.`,
      "Both timed as in file-source: the topic's high watermark from the first record to the last; the sides alternate who goes first.",
    ].join('\n'),
  async run(ctx) {
    const { records, recordSize } = ctx.sizes;
    const input = join(ctx.workDir, 'file-source-transforms.txt');
    await writeLines(input, records, recordSize);
    const runs: RunFigures[] = [];
    for (let i = 0; i < ctx.sizes.runs; i++) {
      ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
      const measurePipe = () => side(ctx, 'pipe', i, false, (t) => pipeSide(ctx, input, t));
      const measureConnect = () =>
        side(ctx, 'connect', i, true, (t) =>
          connectFileSource(ctx, input, t, records, connectTransformProperties(CHAIN)),
        );
      const pipeFirst = i % 2 === 0;
      const first = await (pipeFirst ? measurePipe() : measureConnect());
      const second = await (pipeFirst ? measureConnect() : measurePipe());
      const [p, c] = pipeFirst ? [first, second] : [second, first];
      runs.push(runFigures(rate(p), rate(c), { pipeDetail: detail(p), peerDetail: detail(c) }));
    }
    const reason = runs
      .map((r) => (r['pipeDetail'] as { reason?: string } | undefined)?.reason)
      .find(Boolean);
    return [
      row({
        name: 'file-source with 3 transforms',
        unit: 'records/s',
        better: 'higher',
        peerName: 'Kafka Connect FileStreamSource + the same SMTs',
        runs,
        ...(reason ? { note: `pipe not measured: ${reason}` } : {}),
      }),
    ];
  },
};
