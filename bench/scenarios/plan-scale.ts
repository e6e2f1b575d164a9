/**
 * Scenario 4: a generated project of many topics and connectors, timing
 * `pipe validate`, the first `pipe plan` against the live cluster, the apply,
 * and a plan after it that finds nothing to change.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { failed, pipe, requirePipe, writeProject } from '../pipe-cli.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { deleteBenchTopics } from '../topics.js';

const PIPELINES = 20;

/** Topics and connectors spread evenly over 20 pipelines; half the connectors file sources, half file sinks. */
function generate(dir: string, topics: number, connectors: number, prefix: string) {
  const pipelines: Record<string, Record<string, unknown>> = {};
  const perPipeline = Math.ceil(topics / PIPELINES);
  const connectorsPer = Math.ceil(connectors / PIPELINES);
  let t = 0;
  let c = 0;
  for (let p = 0; p < PIPELINES && t < topics; p++) {
    const names: string[] = [];
    const topicMap: Record<string, unknown> = {};
    for (let k = 0; k < perPipeline && t < topics; k++, t++) {
      const name = `${prefix}-${String(t).padStart(4, '0')}`;
      names.push(name);
      topicMap[name] = {
        partitions: 1 + (t % 3),
        replicationFactor: 1,
        config: { 'retention.ms': 86_400_000 },
      };
    }
    const sources: Record<string, unknown> = {};
    const sinks: Record<string, unknown> = {};
    for (let k = 0; k < connectorsPer && c < connectors; k++, c++) {
      const topic = names[k % names.length]!;
      const name = `${prefix}-conn-${String(c).padStart(4, '0')}`;
      if (c % 2 === 0) {
        sources[name] = { connector: 'file', topic, config: { file: join(dir, 'data', `${name}.in`) } };
      } else {
        sinks[name] = {
          connector: 'file',
          topics: [topic],
          config: { file: join(dir, 'data', `${name}.out`) },
        };
      }
    }
    pipelines[`p${String(p).padStart(2, '0')}`] = { topics: topicMap, sources, sinks };
  }
  return pipelines;
}

interface Timings {
  validate: number;
  firstPlan: number;
  apply: number;
  noChangePlan: number;
}

async function once(ctx: BenchContext, i: number): Promise<Timings> {
  await requirePipe('validate', 'plan', 'apply');
  const stamp = Date.now().toString(36);
  const project = `bench-plan-${i}-${stamp}`;
  const prefix = `bp${i}${stamp}`;
  const dir = join(ctx.workDir, project);
  await writeProject(dir, {
    project,
    brokers: ctx.brokers,
    pipelines: generate(dir, ctx.sizes.planTopics, ctx.sizes.planConnectors, prefix),
  });
  await mkdir(join(dir, 'data'), { recursive: true });
  try {
    const validate = await pipe(['-C', dir, 'validate']);
    if (validate.code !== 0) throw failed('validate', validate);
    const firstPlan = await pipe(['-C', dir, 'plan', '--detailed-exitcode']);
    if (firstPlan.code !== 2) throw failed('plan --detailed-exitcode (expected 2: changes)', firstPlan);
    const apply = await pipe(['-C', dir, 'apply', '--auto-approve', '--no-wait'], { timeoutMs: 600_000 });
    if (apply.code !== 0) throw failed('apply --auto-approve --no-wait', apply);
    const noChange = await pipe(['-C', dir, 'plan', '--detailed-exitcode']);
    if (noChange.code !== 0)
      throw failed('plan --detailed-exitcode after apply (expected 0: no changes)', noChange);
    return { validate: validate.ms, firstPlan: firstPlan.ms, apply: apply.ms, noChangePlan: noChange.ms };
  } finally {
    await deleteBenchTopics(ctx.kafka, [], [`${prefix}-`, `pipe-${project}.`]);
  }
}

export const planScale: Scenario = {
  name: 'plan-scale',
  title: 'plan at scale',
  method: (ctx) =>
    `A generated project of ${ctx.sizes.planTopics.toLocaleString('en')} topics (1 to 3 partitions, one config each) and ${ctx.sizes.planConnectors} file connectors (half sources, half sinks) in ${PIPELINES} pipeline files. Each run uses new names on the live broker and times, as wall time from spawn to exit of \`node dist/cli/main.js\`: \`pipe validate\`, the first \`pipe plan --detailed-exitcode\` (everything to create), \`pipe apply --auto-approve --no-wait\`, and \`pipe plan --detailed-exitcode\` again (nothing to change). No peer: Kafka Connect has no plan.`,
  async run(ctx) {
    const runs: Timings[] = [];
    let reason: string | undefined;
    for (let i = 0; i < ctx.sizes.runs && reason === undefined; i++) {
      try {
        const t = await once(ctx, i);
        runs.push(t);
        ctx.log(
          `  run ${i + 1}: validate ${t.validate.toFixed(0)} ms, first plan ${t.firstPlan.toFixed(0)} ms, apply ${t.apply.toFixed(0)} ms, no-change plan ${t.noChangePlan.toFixed(0)} ms`,
        );
      } catch (err) {
        if (!(err instanceof NotMeasured)) throw err;
        reason = err.message;
        if (err.failure) ctx.failures.push(`plan-scale: ${reason}`);
        ctx.log(`  not measured: ${reason}`);
      }
    }
    const figures = (key: keyof Timings): RunFigures[] =>
      runs.length === 0 ? [runFigures(null, null)] : runs.map((r) => runFigures(Math.round(r[key]), null));
    const note = reason ? { note: `not measured: ${reason}` } : {};
    const size = `${ctx.sizes.planTopics} topics + ${ctx.sizes.planConnectors} connectors`;
    return [
      row({
        name: `pipe validate, ${size}`,
        unit: 'ms',
        better: 'lower',
        peerName: null,
        runs: figures('validate'),
        ...note,
      }),
      row({
        name: `first pipe plan, ${size}`,
        unit: 'ms',
        better: 'lower',
        peerName: null,
        runs: figures('firstPlan'),
        ...note,
      }),
      row({
        name: `pipe apply, ${size}`,
        unit: 'ms',
        better: 'lower',
        peerName: null,
        runs: figures('apply'),
        ...note,
      }),
      row({
        name: `no-change pipe plan, ${size}`,
        unit: 'ms',
        better: 'lower',
        peerName: null,
        runs: figures('noChangePlan'),
        ...note,
      }),
    ];
  },
};
