/**
 * What pipe's source delivery guarantees cost (issue 20): the file source's
 * rate with offsets stored only on an interval (as Kafka Connect does, and
 * pipe did before), with offsets stored after each request, with the
 * default 400-record requests that bound a crash's duplicates to 1% of a
 * 40,000-line burst, and with `worker.exactlyOnce`. The worker runs in this
 * process (the library's Worker), because the interval mode is a library
 * option only; every side is measured the same way.
 */
import { join } from 'node:path';
import type { ProjectSpec } from '../../src/config/model.js';
import { connectionFor } from '../../src/kafka/client.js';
import type { PipelineLimits } from '../../src/worker/send-pipeline.js';
import { Worker } from '../../src/worker/worker.js';
import type { BenchContext } from '../context.js';
import { writeLines } from '../fixtures.js';
import { type Throughput, watchTopic } from '../measure.js';
import { failed, pipe, requirePipe, writeProject } from '../pipe-cli.js';
import { JSON_WITH_SCHEMAS, topicDecl } from '../pipe-runs.js';
import { type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, deleteBenchTopics } from '../topics.js';

/** The previous request size with no record cap: what the interval flush ran with. */
const BYTES_ONLY: PipelineLimits = { maxBatchBytes: 150_000, maxBatchRecords: Number.MAX_SAFE_INTEGER };

interface Mode {
  name: string;
  limits?: PipelineLimits;
  eachRequest: boolean;
  exactlyOnce: boolean;
}

const INTERVAL: Mode = { name: 'interval', limits: BYTES_ONLY, eachRequest: false, exactlyOnce: false };
const EACH_150KB: Mode = { name: 'each-150kb', limits: BYTES_ONLY, eachRequest: true, exactlyOnce: false };
const DEFAULT: Mode = { name: 'default', eachRequest: true, exactlyOnce: false };
const EXACTLY_ONCE: Mode = { name: 'exactly-once', eachRequest: true, exactlyOnce: true };
const MODES = [INTERVAL, EACH_150KB, DEFAULT, EXACTLY_ONCE];

/** At least this many lines: fewer pass in a few requests and time nothing but start-up. */
const MIN_RECORDS = 100_000;

async function measure(ctx: BenchContext, mode: Mode, file: string, records: number, run: number) {
  const project = `bench-delivery-${mode.name}-${run}-${Date.now().toString(36)}`;
  const dir = join(ctx.workDir, project);
  const topic = benchTopic('delivery', mode.name, run);
  await writeProject(dir, {
    project,
    brokers: ctx.brokers,
    worker: { offsetStorage: 'kafka', exactlyOnce: mode.exactlyOnce },
    pipelines: {
      delivery: {
        topics: { [topic]: topicDecl() },
        sources: {
          'delivery-source': { connector: 'file', topic, config: { file }, value: JSON_WITH_SCHEMAS },
        },
      },
    },
  });
  const applied = await pipe(['-C', dir, 'apply', '--auto-approve', '--no-wait']);
  if (applied.code !== 0) throw failed('apply --auto-approve --no-wait', applied);
  // The project as pipe.config.yaml above declares it, for the library's Worker.
  const spec: ProjectSpec = {
    name: project,
    dir,
    kafka: connectionFor(ctx.brokers, 'pipe-bench'),
    state: { topicPrefix: `pipe-${project}`, replicationFactor: 1 },
    worker: {
      offsetStorage: 'kafka',
      offsetFile: join(dir, '.pipe/offsets.json'),
      offsetFlushIntervalMs: 10_000,
      exactlyOnce: mode.exactlyOnce,
      httpListen: '127.0.0.1:0',
    },
    sensitive: [],
  };
  const errors: string[] = [];
  const worker = await Worker.start({
    project: spec,
    log: { info: () => {}, warn: () => {}, error: (m) => errors.push(m) },
    ...(mode.limits ? { sourceLimits: mode.limits } : {}),
    sourceOffsetsEachRequest: mode.eachRequest,
  });
  try {
    // Under exactlyOnce each transaction's commit marker takes an offset: counting offsets, the last
    // 0.25% of the lines (one marker per 400) are not waited for.
    const throughput: Throughput = await watchTopic(ctx.kafka, topic, records, {
      failure: () => errors[0],
    });
    ctx.log(`  ${mode.name}: ${Math.round(throughput.perSecond)} records/s`);
    return Math.round(throughput.perSecond);
  } finally {
    await worker.stop();
    await deleteBenchTopics(ctx.kafka, [topic], [`pipe-${project}.`]);
  }
}

export const sourceDelivery: Scenario = {
  name: 'source-delivery',
  title: 'the cost of the source delivery guarantees (file → topic)',
  method: (ctx) =>
    [
      `${Math.max(ctx.sizes.records, MIN_RECORDS).toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes in one file, read by a \`connector: file\` source into a new topic of 1 partition, values JsonConverter envelopes with schemas, offsets in the \`<prefix>.offsets\` topic. The worker is the library's \`Worker\` in the bench's own process, in four modes, one after another in each run:`,
      "- **interval**: offsets stored only every `offsetFlushIntervalMs` (10 s), requests up to 150 KB with no record cap: Kafka Connect's way, and pipe's before issue 20 (a kill -9 re-sent 20,006 of a 40,000-line burst);",
      '- **each request, 150 KB**: offsets stored after each acknowledged request, the next request waiting for that write, requests up to 150 KB (4,000 short lines re-sent after a kill -9);',
      "- **default**: the same with at most 400 records per request (at most 400 lines re-sent: 0 or 400 in the fault test's runs);",
      '- **exactlyOnce**: `worker.exactlyOnce: true`, each request and its offsets one transaction (kafkajs), default request limits (no duplicates for read_committed consumers).',
      "Timed by the topic's high watermark as in file-source; each ratio is taken inside a run: each mode against interval, exactlyOnce against the default.",
    ].join('\n'),
  async run(ctx) {
    await requirePipe('apply');
    const records = Math.max(ctx.sizes.records, MIN_RECORDS);
    const input = join(ctx.workDir, 'source-delivery.txt');
    await writeLines(input, records, ctx.sizes.recordSize);
    const runs = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
    for (let i = 0; i < ctx.sizes.runs; i++) {
      ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
      for (const mode of MODES) runs.get(mode)?.push(await measure(ctx, mode, input, records, i));
    }
    const figures = (mode: Mode, peer: Mode): RunFigures[] => {
      const mine = runs.get(mode) ?? [];
      const theirs = runs.get(peer) ?? [];
      return mine.map((v, i) => runFigures(v, theirs[i] ?? null));
    };
    return [
      row({
        name: 'source offsets after each request, 150 KB requests',
        unit: 'records/s',
        better: 'higher',
        peerName: 'offsets on an interval (before issue 20)',
        runs: figures(EACH_150KB, INTERVAL),
      }),
      row({
        name: 'source offsets after each request, ≤400 records (default)',
        unit: 'records/s',
        better: 'higher',
        peerName: 'offsets on an interval (before issue 20)',
        runs: figures(DEFAULT, INTERVAL),
        note: 'a kill -9 re-sends at most one request (400 records)',
      }),
      row({
        name: 'worker.exactlyOnce',
        unit: 'records/s',
        better: 'higher',
        peerName: 'the default (at least once)',
        runs: figures(EXACTLY_ONCE, DEFAULT),
        note: 'one transaction per request; no duplicates for read_committed consumers',
      }),
    ];
  },
};
