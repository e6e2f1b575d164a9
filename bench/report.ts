/**
 * RESULTS.md for people and results.json for tools, from the same rows.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { evaluateGoals, type GoalResult } from './goals.js';
import { curvePoints, renderCurvesSvg } from './plot.js';
import type { Row } from './results.js';
import type { WarmUp } from './warm-up.js';

/** Written beside RESULTS.md when the run measured any scaling curve. */
export const CURVES_SVG = 'scaling.svg';

export interface Environment {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; os: string };
  node: string;
  java: string;
  kafka: string;
  pipe: string;
  commit: string | null;
  /** 1-minute load averages when the suite started and ended: how busy the shared machine was. */
  load: { start: number; end: number };
  /** The broker's warm-up before the first scenario (bench/warm-up.ts); absent in runs from before it. */
  warmUp?: WarmUp;
}

export interface ScenarioReport {
  name: string;
  title: string;
  method: string;
  rows: Row[];
  /** Set when the scenario failed outright, not merely lacked pipe's side. */
  error?: string;
  seconds: number;
  /** 1-minute load averages just before and just after the scenario. */
  load: { before: number; after: number };
}

/** A scenario run while the machine had more runnable work than cores: its figures say as much about the neighbours. */
export function overloaded(load: ScenarioReport['load'], cores: number): boolean {
  return Math.max(load.before, load.after) > cores;
}

export interface Report {
  quick: boolean;
  seconds: number;
  environment: Environment;
  scenarios: ScenarioReport[];
}

function output(cmd: string, args: string[], cwd: string): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

export function environment(kafka: string, root: string, loadAtStart: number, warmUp?: WarmUp): Environment {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const commit = output('git', ['rev-parse', '--short', 'HEAD'], root).trim();
  const dirty = output('git', ['status', '--porcelain', '--untracked-files=no'], root).trim() !== '';
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      os: `${platform()} ${release()}`,
    },
    node: process.version,
    java: /version "([^"]+)"/.exec(output('java', ['-version'], root))?.[1] ?? 'unknown',
    kafka,
    pipe: pkg.version,
    load: { start: loadAtStart, end: loadavg()[0]! },
    ...(warmUp ? { warmUp } : {}),
    commit: /^[0-9a-f]+$/.test(commit) ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : null,
  };
}

function number(value: number | null, unit: string): string {
  if (value === null) return '—';
  const digits = (unit === 'ms' || unit === 'MB/s') && value < 100 ? 1 : 0;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function ratio(r: Row): string {
  if (r.ratio === null) return '—';
  const range = r.spread.ratio;
  return `${r.ratio.toFixed(2)}×${range && r.runs.length > 1 ? ` (${range[0].toFixed(2)}–${range[1].toFixed(2)})` : ''}`;
}

/** A median with the smallest and largest run beside it. */
function figure(value: number | null, range: [number, number] | null, runs: number, unit: string): string {
  if (value === null || range === null || runs < 2) return number(value, unit);
  return `${number(value, unit)} (${number(range[0], unit)}–${number(range[1], unit)})`;
}

function loadCell(s: ScenarioReport, cores: number): string {
  const text = `${s.load.before.toFixed(1)} → ${s.load.after.toFixed(1)}`;
  return overloaded(s.load, cores) ? `${text} ⚠` : text;
}

/** Which way is good, so a reader does not have to guess what a ratio below 1 means. */
function direction(r: Row): string {
  return r.better === 'higher' ? '↑' : '↓';
}

function goalFigures(g: GoalResult): string {
  return g.figures
    .map((f) => {
      const value =
        f.ratio === null
          ? 'not measured'
          : `${f.ratio.toFixed(2)}×${f.range && f.range[0] !== f.range[1] ? ` (${f.range[0].toFixed(2)}–${f.range[1].toFixed(2)})` : ''}`;
      return g.figures.length === 1 ? value : `${f.name} (${f.unit}): ${value}`;
    })
    .join('; ');
}

/** The issue's goals, each read from this run's median ratios (smallest–largest run in brackets). */
export function renderGoals(rows: readonly Row[]): string[] {
  return [
    '## Goals',
    '',
    "Issue 17's goals, from this run's ratios pipe ÷ Kafka Connect (or ÷ ProducerPerformance): the median, with the smallest and largest run in brackets; a goal is met when the median ratio of every row it reads reaches it.",
    '',
    '| scenario | goal | this run | |',
    '|---|---|---|---|',
    ...evaluateGoals(rows).map((g) => `| ${g.scenario} | ${g.goal} | ${goalFigures(g)} | ${g.status} |`),
    '',
  ];
}

export function renderMarkdown(report: Report): string {
  const env = report.environment;
  const lines: string[] = [
    '# pipe benchmarks',
    '',
    report.quick
      ? '**Quick run** (`npm run bench -- --quick`): small sizes and one run each, to check that the suite works; these figures mean nothing.'
      : "Produced by `npm run bench` (see docs/BENCHMARKS.md). Each figure is the median of its runs, with the smallest and largest run in brackets; each ratio is pipe ÷ peer computed inside each run, then the median of those, because the machine is shared and noisy. ↑: higher is better; ↓: lower is better. load: the 1-minute load average before → after the scenario; ⚠ marks a scenario during which it exceeded the machine's cores, whose figures are less trustworthy.",
    '',
    `- date: ${env.date}`,
    `- machine: ${env.machine.cpu}, ${env.machine.cores} cores, ${env.machine.memoryGb} GB, ${env.machine.os}`,
    `- Node ${env.node}, Java ${env.java}, Apache Kafka ${env.kafka} (broker, Kafka Connect and tools from Maven Central), pipe ${env.pipe}${env.commit ? ` at ${env.commit}` : ''}`,
    ...(env.warmUp
      ? [
          `- the broker was warmed up before the first scenario: ${env.warmUp.records.toLocaleString('en')} records written by ProducerPerformance and read by ConsumerPerformance (${Math.round(env.warmUp.seconds)} s)`,
        ]
      : []),
    `- the broker, the peer and pipe share the machine, and other work shared it too: 1-minute load average ${env.load.start.toFixed(1)} at the start, ${env.load.end.toFixed(1)} at the end; whole suite: ${Math.round(report.seconds)} s`,
    '',
    '| scenario | unit | pipe | peer | ratio pipe/peer | runs | load |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  const notes: string[] = [];
  for (const s of report.scenarios) {
    for (const r of s.rows) {
      let name = `${r.name} ${direction(r)}`;
      if (r.note) {
        notes.push(r.note);
        name += ` [${notes.length}]`;
      }
      const n = r.runs.length;
      const peer = r.peerName ? `${figure(r.peer, r.spread.peer, n, r.unit)} (${r.peerName})` : '—';
      lines.push(
        `| ${name} | ${r.unit} | ${figure(r.pipe, r.spread.pipe, n, r.unit)} | ${peer} | ${ratio(r)} | ${n} | ${loadCell(s, env.machine.cores)} |`,
      );
    }
    if (s.error) {
      notes.push(`${s.name} failed: ${s.error}`);
      lines.push(`| ${s.name} [${notes.length}] | | failed | | | | ${loadCell(s, env.machine.cores)} |`);
    }
  }
  if (notes.length > 0) {
    lines.push('', ...notes.map((n, i) => `${i + 1}. ${n.replace(/\n+/g, ' ')}`));
  }
  const rows = report.scenarios.flatMap((s) => s.rows);
  lines.push('', ...renderGoals(rows));
  if (curvePoints(rows).length > 0) {
    lines.push(
      '## Scaling curves',
      '',
      `Records/s and MB/s (payload bytes, 10⁶ a MB) of the \`scale-*\` scenarios against the size of the work, pipe beside Kafka Connect in the same run (the table above holds the same figures):`,
      '',
      `![pipe and Kafka Connect as the work grows](${CURVES_SVG})`,
      '',
    );
  }
  lines.push('## How each scenario was run', '');
  for (const s of report.scenarios) {
    const busy = overloaded(s.load, env.machine.cores)
      ? ` The load exceeded the ${env.machine.cores} cores: these figures are less trustworthy.`
      : '';
    lines.push(
      `### ${s.name}: ${s.title}`,
      '',
      s.method,
      '',
      `Took ${Math.round(s.seconds)} s; 1-minute load average ${s.load.before.toFixed(1)} before, ${s.load.after.toFixed(1)} after.${busy}`,
      '',
    );
  }
  lines.push(
    '## Runs',
    '',
    'Every run of every figure, pipe then peer (— where a side was not measured):',
    '',
  );
  for (const s of report.scenarios) {
    for (const r of s.rows) {
      const runs = r.runs.map((x) => `${number(x.pipe, r.unit)} / ${number(x.peer, r.unit)}`).join(', ');
      lines.push(`- ${r.name} (${r.unit}): ${runs}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(
    {
      quick: report.quick,
      seconds: Math.round(report.seconds),
      environment: report.environment,
      scenarios: report.scenarios.flatMap((s) => [
        ...s.rows.map((r) => ({
          scenario: s.name,
          load: s.load,
          overloaded: overloaded(s.load, report.environment.machine.cores),
          ...r,
        })),
        ...(s.error ? [{ scenario: s.name, name: s.name, load: s.load, error: s.error }] : []),
      ]),
    },
    null,
    2,
  )}\n`;
}

export async function writeReport(dir: string, report: Report): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'RESULTS.md'), renderMarkdown(report));
  await writeFile(join(dir, 'results.json'), renderJson(report));
  const points = curvePoints(report.scenarios.flatMap((s) => s.rows));
  if (points.length > 0) await writeFile(join(dir, CURVES_SVG), await renderCurvesSvg(points));
}
