/**
 * A plan against a Kafka Connect runtime at scale: a two-worker distributed
 * cluster on the bench broker, and a project of many file connectors on it.
 * Times the first plan (everything to create, each connector checked with
 * Connect's validate), the apply, and the plan right after, which reads the
 * cluster in one `GET /connectors?expand=info&expand=status` and finds
 * nothing to change (issue 12 asks under 2 s for 200 connectors).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type DistributedWorker, startConnectDistributed } from '../../src/kafka/local/connect.js';
import type { BenchContext } from '../context.js';
import { failed, pipe, requirePipe, writeProject } from '../pipe-cli.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { deleteBenchTopics } from '../topics.js';

const TOPICS = 10;

/** Half file sources, half file sinks, over 10 topics, all created stopped on the cluster. */
function pipelines(dir: string, connectors: number, prefix: string) {
  const topics: Record<string, unknown> = {};
  for (let t = 0; t < TOPICS; t++) topics[`${prefix}-${t}`] = { partitions: 1, replicationFactor: 1 };
  const sources: Record<string, unknown> = {};
  const sinks: Record<string, unknown> = {};
  for (let c = 0; c < connectors; c++) {
    const name = `${prefix}-conn-${String(c).padStart(4, '0')}`;
    const topic = `${prefix}-${c % TOPICS}`;
    const file = join(dir, 'data', `${name}.txt`);
    if (c % 2 === 0) sources[name] = { connector: 'file', topic, state: 'stopped', config: { file } };
    else sinks[name] = { connector: 'file', topics: [topic], state: 'stopped', config: { file } };
  }
  return { connect: { topics, sources, sinks } };
}

interface Timings {
  firstPlan: number;
  apply: number;
  noChangePlan: number;
  /** The cluster's part of a plan: its one listing request, alone (median of 5). */
  listing: number;
}

async function timeListing(url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/connectors?expand=info&expand=status`);
    await res.arrayBuffer();
    if (!res.ok) throw new NotMeasured(`GET /connectors?expand=info&expand=status answered ${res.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2] ?? Number.NaN;
}

async function startCluster(ctx: BenchContext, name: string): Promise<DistributedWorker[]> {
  const started = await Promise.allSettled(
    [0, 1].map(() =>
      startConnectDistributed({
        brokers: ctx.brokers,
        clusterName: name,
        version: ctx.kafkaVersion,
        heap: '384m',
        startTimeoutMs: 180_000,
      }),
    ),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const rejected = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) {
    await Promise.all(workers.map((w) => w.stop()));
    throw new NotMeasured(`the Kafka Connect cluster did not start: ${String(rejected.reason)}`, {
      failure: true,
    });
  }
  return workers;
}

async function once(ctx: BenchContext, urls: string[], i: number): Promise<Timings> {
  const stamp = Date.now().toString(36);
  const project = `bench-connect-${i}-${stamp}`;
  const prefix = `bc${i}${stamp}`;
  const dir = join(ctx.workDir, project);
  await writeProject(dir, {
    project,
    brokers: ctx.brokers,
    pipelines: pipelines(dir, ctx.sizes.connectConnectors, prefix),
    settings: { runtimes: { cluster: { type: 'connect', urls } }, runtime: 'cluster' },
  });
  await mkdir(join(dir, 'data'), { recursive: true });
  try {
    const firstPlan = await pipe(['-C', dir, 'plan', '--detailed-exitcode'], { timeoutMs: 600_000 });
    if (firstPlan.code !== 2) throw failed('plan --detailed-exitcode (expected 2: changes)', firstPlan);
    const apply = await pipe(['-C', dir, 'apply', '--auto-approve', '--no-wait'], { timeoutMs: 900_000 });
    if (apply.code !== 0) throw failed('apply --auto-approve --no-wait', apply);
    const noChange = await pipe(['-C', dir, 'plan', '--detailed-exitcode']);
    if (noChange.code !== 0)
      throw failed('plan --detailed-exitcode after apply (expected 0: no changes)', noChange);
    const listing = await timeListing(urls[0] ?? '');
    return { firstPlan: firstPlan.ms, apply: apply.ms, noChangePlan: noChange.ms, listing };
  } finally {
    await pipe(['-C', dir, 'destroy', '--auto-approve', '--allow-delete'], { timeoutMs: 900_000 });
    await deleteBenchTopics(ctx.kafka, [], [`${prefix}-`, `pipe-${project}.`]);
  }
}

export const connectPlan: Scenario = {
  name: 'connect-plan',
  title: 'plan on a Kafka Connect cluster',
  method: (ctx) =>
    `A two-worker Kafka Connect ${ctx.kafkaVersion} cluster in distributed mode (heap 384 MB each) on the bench broker, and a project of ${ctx.sizes.connectConnectors} file connectors on it (half sources, half sinks, over ${TOPICS} topics, \`state: stopped\` so the shared machine does not run ${ctx.sizes.connectConnectors} tasks; the plan reads them the same way). Each run uses new names and times, as wall time from spawn to exit of \`node dist/cli/main.js\`: the first \`pipe plan --detailed-exitcode\` (everything to create; each connector is checked with \`PUT /connector-plugins/{class}/config/validate\`), \`pipe apply --auto-approve --no-wait\`, and \`pipe plan --detailed-exitcode\` again (one \`GET /connectors?expand=info&expand=status\`, nothing to change; issue 12 asks under 2 s for 200 connectors), and that listing request alone from the bench process (median of 5), the cluster's part of the plan. Then \`pipe destroy\`. No peer: Kafka Connect has no plan.`,
  async run(ctx) {
    const runs: Timings[] = [];
    let reason: string | undefined;
    let workers: DistributedWorker[] = [];
    try {
      await requirePipe('plan', 'apply', 'destroy');
      workers = await startCluster(ctx, `pipe-bench-${Date.now().toString(36)}`);
      const urls = workers.map((w) => w.restUrl);
      for (let i = 0; i < ctx.sizes.runs && reason === undefined; i++) {
        try {
          const t = await once(ctx, urls, i);
          runs.push(t);
          ctx.log(
            `  run ${i + 1}: first plan ${t.firstPlan.toFixed(0)} ms, apply ${t.apply.toFixed(0)} ms, no-change plan ${t.noChangePlan.toFixed(0)} ms, the listing alone ${t.listing.toFixed(0)} ms`,
          );
        } catch (err) {
          if (!(err instanceof NotMeasured)) throw err;
          reason = err.message;
          if (err.failure) ctx.failures.push(`connect-plan: ${reason}`);
          ctx.log(`  not measured: ${reason}`);
        }
      }
    } catch (err) {
      if (!(err instanceof NotMeasured)) throw err;
      reason = err.message;
      if (err.failure) ctx.failures.push(`connect-plan: ${reason}`);
      ctx.log(`  not measured: ${reason}`);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const figures = (key: keyof Timings): RunFigures[] =>
      runs.length === 0 ? [runFigures(null, null)] : runs.map((r) => runFigures(Math.round(r[key]), null));
    const note = reason ? { note: `not measured: ${reason}` } : {};
    const size = `${ctx.sizes.connectConnectors} connectors on 2 Connect workers`;
    const rowOf = (name: string, key: keyof Timings) =>
      row({ name, unit: 'ms', better: 'lower', peerName: null, runs: figures(key), ...note });
    return [
      rowOf(`first pipe plan, ${size}`, 'firstPlan'),
      rowOf(`pipe apply, ${size}`, 'apply'),
      rowOf(`no-change pipe plan, ${size}`, 'noChangePlan'),
      rowOf(`its GET /connectors?expand=info&expand=status alone, ${size}`, 'listing'),
    ];
  },
};
