/**
 * Scenario 1: a file of numbered lines into a topic as JsonConverter
 * envelopes. pipe against Kafka Connect's FileStreamSource, and against the
 * producer ceiling (ProducerPerformance) and pipe's Kafka client alone.
 */
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { writeLines } from '../fixtures.js';
import { watchTopic } from '../measure.js';
import {
  type ClientName,
  clientProducer,
  connectFileSource,
  type Measured,
  producerCeiling,
} from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics } from '../topics.js';

const CLIENTS: ClientName[] = ['kafkajs', 'platformatic'];
const CLIENT_NAMES: Record<ClientName, string> = {
  kafkajs: 'kafkajs 2.2',
  platformatic: '@platformatic/kafka 1.x',
};

async function pipeFileSource(ctx: BenchContext, file: string, topic: string): Promise<Measured> {
  return withPipeWorker(
    ctx,
    'bench-file-source',
    {
      'file-source': {
        topics: { [topic]: topicDecl() },
        sources: {
          'bench-source': { connector: 'file', topic, config: { file }, value: JSON_WITH_SCHEMAS },
        },
      },
    },
    async (run) => {
      const throughput = await watchTopic(ctx.kafka, topic, ctx.sizes.records, run.watchOptions);
      return { throughput, peakMb: run.peakMb() };
    },
  );
}

/** Runs one side on a fresh topic and deletes the topic after; a missing pipe feature becomes its reason. */
async function side(
  ctx: BenchContext,
  name: string,
  run: number,
  create: boolean,
  measure: (topic: string) => Promise<Measured>,
): Promise<Measured | NotMeasured> {
  const topic = benchTopic('src', name, run);
  try {
    if (create) await createBenchTopic(ctx.kafka, topic);
    const m = await measure(topic);
    ctx.log(
      `  ${name}: ${Math.round(m.throughput.perSecond)} records/s${m.peakMb ? `, peak RSS ${Math.round(m.peakMb)} MB` : ''}`,
    );
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
  m instanceof NotMeasured ? { reason: m.message } : { coarse: m.throughput.coarse, ...m.details };

export const fileSource: Scenario = {
  name: 'file-source',
  title: 'file → topic (JsonConverter with schemas)',
  method: (ctx) =>
    [
      `${ctx.sizes.records.toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes (plus a newline) in one file, read into a new topic of 1 partition (replication factor 1); values are JsonConverter envelopes with schemas (\`{"schema":{"type":"string","optional":false},"payload":"…"}\`), keys null.`,
      `- **pipe**: a project with one \`connector: file\` source, \`value: {converter: json, schemas: true}\`; \`pipe apply --auto-approve --no-wait\`, then \`pipe run\`.`,
      `- **Kafka Connect**: \`ConnectStandalone\` (Kafka ${ctx.kafkaVersion} jars from Maven Central, heap -Xms256m -Xmx2g as Connect's scripts set, JsonConverter with schemas for keys and values) with one \`FileStreamSourceConnector\`, \`tasks.max=1\`, other settings at their defaults.`,
      `- **ProducerPerformance**: \`org.apache.kafka.tools.ProducerPerformance --num-records ${ctx.sizes.records} --record-size ${ctx.sizes.recordSize} --throughput -1\` from the same jars, producer settings at their defaults (batch.size 16384, linger.ms 5 since Kafka 4.0): the usual yardstick of producing to this broker from this machine, not a hard limit (a client with larger batches can pass it).`,
      `- **client alone**: kafkajs (pipe's control-plane client, through \`src/kafka/client.ts\`) in its own Node process, sending batches of 1,000 records of ${ctx.sizes.recordSize} bytes with acks=all, one send awaited at a time or 8 in flight; and the same job on \`@platformatic/kafka\` 1.x (acks=all, not idempotent), the client of pipe's data path since it replaced kafkajs there.`,
      "Every side is timed the same way: the topic's high watermark sampled every 50 ms (20 ms for ProducerPerformance), from the first sample that shows records to the first that shows all of them, so process start-up is left out. Each run measures every side back to back, and each ratio is taken inside a run.",
    ].join('\n'),
  async run(ctx) {
    const { records, recordSize } = ctx.sizes;
    const input = join(ctx.workDir, 'file-source.txt');
    ctx.log(`  writing ${records} lines of ${recordSize} bytes`);
    await writeLines(input, records, recordSize);
    const vsConnect: RunFigures[] = [];
    const vsCeiling: RunFigures[] = [];
    const clientRuns: RunFigures[][] = CLIENTS.flatMap(() => [[], []]);
    for (let i = 0; i < ctx.sizes.runs; i++) {
      ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
      // Alternating who goes first spreads any drift of the shared machine over both sides.
      const pipeFirst = i % 2 === 0;
      const measurePipe = () => side(ctx, 'pipe', i, false, (t) => pipeFileSource(ctx, input, t));
      const measureConnect = () =>
        side(ctx, 'connect', i, true, (t) => connectFileSource(ctx, input, t, records));
      const first = await (pipeFirst ? measurePipe() : measureConnect());
      const second = await (pipeFirst ? measureConnect() : measurePipe());
      const [p, c] = pipeFirst ? [first, second] : [second, first];
      const ceiling = await side(ctx, 'producer-perf', i, true, (t) => producerCeiling(ctx, t, records));
      const clients = [];
      for (const client of CLIENTS) {
        for (const n of [1, 8]) {
          clients.push(
            await side(ctx, `${client}-${n}`, i, true, (t) => clientProducer(ctx, client, t, records, n)),
          );
        }
      }
      vsConnect.push(runFigures(rate(p), rate(c), { pipeDetail: detail(p), peerDetail: detail(c) }));
      vsCeiling.push(runFigures(rate(p), rate(ceiling), { peerDetail: detail(ceiling) }));
      clients.forEach((m, k) => {
        clientRuns[k]!.push(runFigures(rate(m), rate(ceiling)));
      });
      ctx.memory.pipe.push(p instanceof NotMeasured ? null : p.peakMb);
      ctx.memory.peer.push(c instanceof NotMeasured ? null : c.peakMb);
    }
    const reason = (runs: RunFigures[]) => {
      const r = runs.map((x) => (x['pipeDetail'] as { reason?: string } | undefined)?.reason).find(Boolean);
      return r ? { note: `pipe not measured: ${r}` } : {};
    };
    return [
      row({
        name: 'file-source',
        unit: 'records/s',
        better: 'higher',
        peerName: 'Kafka Connect FileStreamSource',
        runs: vsConnect,
        ...reason(vsConnect),
      }),
      row({
        name: 'file-source vs producer ceiling',
        unit: 'records/s',
        better: 'higher',
        peerName: 'ProducerPerformance',
        runs: vsCeiling,
        note: 'ratio: the fraction of the ceiling pipe reaches',
        ...reason(vsConnect),
      }),
      ...CLIENTS.flatMap((client, c) =>
        [1, 8].map((n, k) =>
          row({
            name: `${CLIENT_NAMES[client]} producer alone, ${n} ${n === 1 ? 'batch' : 'batches'} in flight`,
            unit: 'records/s',
            better: 'higher',
            peerName: 'ProducerPerformance',
            runs: clientRuns[c * 2 + k]!,
            note:
              client === 'kafkajs'
                ? "pipe's data-path client until it was replaced, raw 100-byte values: how much of the gap to the ceiling was the client's"
                : "pipe's data-path client (source tasks' producer) with its own record encoder, which pipe replaces with its own (src/kafka/record-batch.ts); raw 100-byte values, same job",
          }),
        ),
      ),
    ];
  },
};
