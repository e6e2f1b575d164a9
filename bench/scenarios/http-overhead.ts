/**
 * The worker's HTTP server against the record path: the file-source job run
 * by `pipe run` with the server on and scraped (`/metrics` and a status read
 * every second, as a busy Prometheus and a dashboard would), and by `pipe run
 * --no-http`. Issue 16 asks the two to stay within noise of each other.
 */
import { join } from 'node:path';
import { freePort } from '../../src/kafka/ports.js';
import type { BenchContext } from '../context.js';
import { writeLines } from '../fixtures.js';
import { watchTopic } from '../measure.js';
import type { Measured } from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, deleteBenchTopics } from '../topics.js';

async function fileSource(ctx: BenchContext, file: string, topic: string, http: boolean): Promise<Measured> {
  const port = await freePort();
  const pipelines = {
    'file-source': {
      topics: { [topic]: topicDecl() },
      sources: { 'bench-source': { connector: 'file', topic, config: { file }, value: JSON_WITH_SCHEMAS } },
    },
  };
  return withPipeWorker(
    ctx,
    http ? 'bench-http-on' : 'bench-http-off',
    pipelines,
    async (run) => {
      let scrapes = 0;
      const scraper = http
        ? setInterval(() => {
            for (const path of ['/metrics', '/connectors?expand=status'])
              fetch(`http://127.0.0.1:${port}${path}`)
                .then((r) => r.text())
                .then(
                  () => scrapes++,
                  () => undefined,
                );
          }, 1000)
        : undefined;
      try {
        const throughput = await watchTopic(ctx.kafka, topic, ctx.sizes.records, run.watchOptions);
        return { throughput, peakMb: run.peakMb(), details: { scrapes } };
      } finally {
        clearInterval(scraper);
      }
    },
    http
      ? { worker: { offsetStorage: 'file', http: { listen: `127.0.0.1:${port}` } } }
      : { runArgs: ['--no-http'] },
  );
}

const rate = (m: Measured | NotMeasured) =>
  m instanceof NotMeasured ? null : Math.round(m.throughput.perSecond);

export const httpOverhead: Scenario = {
  name: 'http-overhead',
  title: "file → topic with the worker's HTTP server on and scraped, and with --no-http",
  method: (ctx) =>
    [
      `The file-source job (${ctx.sizes.records.toLocaleString('en')} lines of ${ctx.sizes.recordSize} bytes, JsonConverter with schemas, a new 1-partition topic) run twice in each run, in alternating order:`,
      '- **pipe**: `pipe run` with its HTTP server on `worker.http.listen`, `/metrics` and `/connectors?expand=status` fetched every second while it runs;',
      '- **peer**: `pipe run --no-http`.',
      'Timed as file-source is (the topic’s high watermark from the first record to the last). A ratio near 1 means the server costs the record path nothing measurable.',
    ].join('\n'),
  async run(ctx) {
    const input = join(ctx.workDir, 'http-overhead.txt');
    await writeLines(input, ctx.sizes.records, ctx.sizes.recordSize);
    const runs: RunFigures[] = [];
    for (let i = 0; i < ctx.sizes.runs; i++) {
      ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
      const measure = async (http: boolean) => {
        const topic = benchTopic('http', http ? 'on' : 'off', i);
        try {
          const m = await fileSource(ctx, input, topic, http);
          ctx.log(`  http ${http ? 'on' : 'off'}: ${Math.round(m.throughput.perSecond)} records/s`);
          return m;
        } catch (err) {
          if (err instanceof NotMeasured) return err;
          throw err;
        } finally {
          await deleteBenchTopics(ctx.kafka, [topic]);
        }
      };
      const onFirst = i % 2 === 0;
      const first = await measure(onFirst);
      const second = await measure(!onFirst);
      const [on, off] = onFirst ? [first, second] : [second, first];
      runs.push(
        runFigures(rate(on), rate(off), {
          pipeDetail: on instanceof NotMeasured ? { reason: on.message } : on.details,
        }),
      );
    }
    return [
      row({
        name: 'file-source, HTTP server on and scraped every second',
        unit: 'records/s',
        better: 'higher',
        peerName: 'pipe run --no-http',
        runs,
        note: 'ratio near 1: the server adds no measurable cost to the record path',
      }),
    ];
  },
};
