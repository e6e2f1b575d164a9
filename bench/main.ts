/**
 * `npm run bench [-- --quick] [--only a,b] [--brokers host:port] [--out dir] [--cpu-prof dir] [--connectors n]`:
 * starts a local broker with the project's launcher, runs the scenarios one
 * after another (never two at once: the machine has few cores) and writes
 * RESULTS.md and results.json.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { messageOf } from '../src/errors.js';
import { connectionFor, createKafka } from '../src/kafka/client.js';
import { startBroker } from '../src/kafka/local/broker.js';
import { defaultKafkaVersion, resolveJars } from '../src/kafka/local/jars.js';
import { type BenchContext, FULL, QUICK, type Sizes } from './context.js';
import { ROOT } from './paths.js';
import { environment, type ScenarioReport, writeReport } from './report.js';
import type { Scenario } from './scenario.js';
import { cliStart } from './scenarios/cli-start.js';
import { connectPlan } from './scenarios/connect-plan.js';
import { converters } from './scenarios/converters.js';
import { endToEndLatency } from './scenarios/end-to-end-latency.js';
import { fileSink, fileSinkTasks } from './scenarios/file-sink.js';
import { fileSource } from './scenarios/file-source.js';
import { fileSourceTransforms } from './scenarios/file-source-transforms.js';
import { httpOverhead } from './scenarios/http-overhead.js';
import { planScale } from './scenarios/plan-scale.js';
import { postgresSink, postgresSource } from './scenarios/postgres.js';
import { scaleConnectors, scalePartitions, scaleRecordSize } from './scenarios/scaling.js';
import { sourceDelivery } from './scenarios/source-delivery.js';
import { workerMemory } from './scenarios/worker-memory.js';
import { type WarmUp, warmUpBroker } from './warm-up.js';

/** In this order: worker-memory reads what file-source recorded. */
const SCENARIOS: Scenario[] = [
  fileSource,
  fileSourceTransforms,
  httpOverhead,
  sourceDelivery,
  fileSink,
  fileSinkTasks,
  scaleRecordSize,
  scalePartitions,
  scaleConnectors,
  postgresSource,
  postgresSink,
  endToEndLatency,
  planScale,
  connectPlan,
  cliStart,
  workerMemory,
  converters,
];

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run bench -- [--quick] [--only ${SCENARIOS.map((s) => s.name).join(',')}] [--brokers host:port] [--kafka-version v] [--out dir] [--cpu-prof dir] [--runs n] [--records n] [--connectors n]\n`,
  );
  process.exit(2);
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        brokers: { type: 'string' },
        'kafka-version': { type: 'string' },
        out: { type: 'string' },
        'cpu-prof': { type: 'string' },
        runs: { type: 'string' },
        records: { type: 'string' },
        connectors: { type: 'string' },
      },
      strict: true,
    });
    return values;
  } catch (err) {
    return usage(messageOf(err));
  }
}

/**
 * --runs, --records and --connectors (connect-plan's) override the preset,
 * e.g. one long run to profile, or one quick run at the full 200 connectors.
 */
function sizes(
  quick: boolean,
  runs: string | undefined,
  records: string | undefined,
  connectors: string | undefined,
): Sizes {
  const preset = quick ? QUICK : FULL;
  const count = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive whole number, got "${value}"`);
    return n;
  };
  return {
    ...preset,
    runs: count('runs', runs, preset.runs),
    records: count('records', records, preset.records),
    connectConnectors: count('connectors', connectors, preset.connectConnectors),
  };
}

async function main(): Promise<number> {
  const opts = options();
  const only = opts.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
  if (unknown.length > 0) usage(`unknown scenario: ${unknown.join(', ')}`);
  const selected = SCENARIOS.filter((s) => !only || only.includes(s.name));
  const quick = opts.quick ?? false;
  // A quick run checks that the suite works; its figures must not overwrite the committed ones.
  const outDir = resolve(opts.out ?? join(ROOT, quick ? 'bench/out' : 'bench'));
  const log = (m: string) => process.stdout.write(`${m}\n`);
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;

  const version = opts['kafka-version'] ?? defaultKafkaVersion();
  log(`Kafka ${version}: fetching jars (cached after the first run)`);
  await resolveJars(version, 'connect');
  const broker = opts.brokers ? undefined : await startBroker({ kafkaVersion: version });
  const brokers = opts.brokers ?? broker!.bootstrap;
  log(`broker ${brokers}${broker ? ` (log ${broker.logFile})` : ''}`);
  const kafka = createKafka(connectionFor(brokers, 'pipe-bench'));
  const workDir = await mkdtemp(join(tmpdir(), 'pipe-bench-'));
  const cpuProf = opts['cpu-prof'] ? resolve(opts['cpu-prof']) : undefined;
  const ctx: BenchContext = {
    brokers,
    kafkaVersion: version,
    kafka,
    workDir,
    sizes: sizes(quick, opts.runs, opts.records, opts.connectors),
    quick,
    pipeNodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [],
    memory: { pipe: [], peer: [] },
    failures: [],
    log,
  };
  const reports: ScenarioReport[] = [];
  let failures = 0;
  let warmUp: WarmUp | undefined;
  const pipeFailures = () => ctx.failures.length;
  const stopOnSignal = () => {
    void broker?.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    log(
      `warming the broker up: ${ctx.sizes.warmUpRecords.toLocaleString('en')} records through Kafka's own tools`,
    );
    warmUp = await warmUpBroker(ctx, ctx.sizes.warmUpRecords);
    log(`  done in ${Math.round(warmUp.seconds)} s`);
    for (const scenario of selected) {
      log(`== ${scenario.name}`);
      const t = performance.now();
      const report: ScenarioReport = {
        name: scenario.name,
        title: scenario.title,
        method: scenario.method(ctx),
        rows: [],
        seconds: 0,
        load: { before: loadavg()[0] ?? 0, after: 0 },
      };
      try {
        report.rows = await scenario.run(ctx);
      } catch (err) {
        failures++;
        report.error = messageOf(err);
        log(`  FAILED: ${report.error}`);
      }
      report.seconds = (performance.now() - t) / 1000;
      report.load.after = loadavg()[0] ?? 0;
      log(`  load average ${report.load.before.toFixed(1)} before, ${report.load.after.toFixed(1)} after`);
      reports.push(report);
    }
  } finally {
    await broker?.stop();
    // Worker logs and profiles stay for a look when something failed or was profiled.
    if (!cpuProf && failures + pipeFailures() === 0) await rm(workDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  await writeReport(outDir, {
    quick,
    seconds,
    environment: environment(version, ROOT, loadAtStart, warmUp),
    scenarios: reports,
  });
  log(`wrote ${join(outDir, 'RESULTS.md')} and results.json in ${Math.round(seconds)} s`);
  if (cpuProf) log(`CPU profiles of pipe's workers in ${cpuProf}`);
  for (const f of ctx.failures) log(`pipe failed in ${f}`);
  if (cpuProf || failures + pipeFailures() > 0) log(`scratch files and worker logs kept in ${workDir}`);
  return failures + pipeFailures() === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
