import type { Command } from 'commander';
import { loadDesiredState } from '../../config/load.js';
import type { ProjectSpec } from '../../config/model.js';
import { isPipeError } from '../../errors.js';
import { createKafka, unreachable } from '../../kafka/client.js';
import { readTopicToEnd } from '../../kafka/read-topic.js';
import { parseConfigsTopic } from '../../plan/read-state.js';
import { stateTopicNames } from '../../state/records.js';
import { foldStatusTopic } from '../../state/status-topic.js';
import { existingStateTopics } from '../../state/topics.js';
import { type StatusReport, statusReport } from '../../worker/status-report.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';
import { clearScreen } from '../views/terminal.js';

async function readReport(project: ProjectSpec): Promise<StatusReport> {
  const kafka = createKafka(project.kafka, { role: 'status' });
  const names = stateTopicNames(project.state.topicPrefix);
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = await existingStateTopics(admin, project.state);
    if (!existing.has(names.configs) || !existing.has(names.status))
      return { workers: [], connectors: [], diagnostics: [] };
  } catch (err) {
    throw isPipeError(err) ? err : unreachable(project.kafka, err);
  } finally {
    await admin.disconnect();
  }
  const [configs, status] = await Promise.all([
    readTopicToEnd(kafka, names.configs),
    readTopicToEnd(kafka, names.status),
  ]);
  return statusReport(
    parseConfigsTopic(names.configs, configs),
    foldStatusTopic(names.status, status),
    project.name,
    new Date(),
  );
}

const dash = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

export function renderStatus(report: StatusReport, project: string): string {
  const lines: string[] = [];
  lines.push(
    report.workers.length === 0
      ? `no worker is running for ${project} (start one with pipe up or pipe run)`
      : `workers: ${report.workers.map((w) => (w.role ? `${w.worker_id} (${w.role})` : w.worker_id)).join(', ')}`,
  );
  if (report.connectors.length === 0) {
    lines.push('no connectors applied');
    return `${lines.join('\n')}\n`;
  }
  const rows = [['NAME', 'KIND', 'STATE', 'TASKS', 'IN', 'OUT', 'FAILED', 'RATE/s', 'LAG', 'LAST ERROR']];
  for (const c of report.connectors) {
    const running = c.tasks.filter((t) => t.state === 'RUNNING').length;
    rows.push([
      c.name,
      `${c.kind}:${c.connector}`,
      c.state,
      `${running}/${c.tasks.length}`,
      String(c.recordsIn),
      String(c.recordsOut),
      String(c.recordsFailed),
      String(c.rate),
      dash(c.lag),
      c.error ?? c.lastError ?? '',
    ]);
    for (const t of c.tasks) {
      rows.push([
        `  ${c.name}-${t.task}`,
        '',
        t.state,
        '',
        dash(t.metrics?.recordsIn),
        dash(t.metrics?.recordsOut),
        dash(t.metrics?.recordsFailed),
        dash(t.metrics?.rate),
        dash(t.metrics?.lag),
        t.error ?? t.metrics?.lastError ?? '',
      ]);
    }
  }
  const widths = rows.reduce<number[]>((w, r) => r.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  for (const r of rows)
    lines.push(
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show connector and task states, records in and out, rate, sink lag and the last error')
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--json', 'print the report as JSON')
    .option('--watch', 'refresh every 2 seconds until Ctrl-C')
    .action(
      action(async (opts: { env?: string; json?: boolean; watch?: boolean }, command: Command) => {
        const { desired } = await loadDesiredState(
          projectDir(command),
          opts.env === undefined ? {} : { environment: opts.env },
        );
        const show = async () => {
          const report = await readReport(desired.project);
          const text = opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : renderStatus(report, desired.project.name);
          if (opts.watch && !opts.json) clearScreen(process.stdout);
          process.stdout.write(text);
          if (!opts.json) {
            for (const d of report.diagnostics) process.stderr.write(`${d.severity}: ${d.summary}\n`);
          }
        };
        await show();
        if (!opts.watch) return EXIT.ok;
        let stop = false;
        const onSignal = () => {
          stop = true;
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        while (!stop) {
          await new Promise((r) => setTimeout(r, 2000));
          if (!stop) await show();
        }
        return EXIT.ok;
      }),
    );
}
