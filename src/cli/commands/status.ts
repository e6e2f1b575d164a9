import type { Command } from 'commander';
import { loadDesiredState } from '../../config/load.js';
import { EMBEDDED_RUNTIME } from '../../config/model.js';
import { readProjectStatus } from '../../runtime/project-status.js';
import type { StatusReport } from '../../worker/status-report.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';
import { clearScreen } from '../views/terminal.js';

const dash = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

export function renderStatus(report: StatusReport, project: string): string {
  const lines: string[] = [];
  const embedded = report.connectors.some((c) => c.runtime === EMBEDDED_RUNTIME);
  if (embedded || report.workers.length > 0 || report.connectors.length === 0) {
    lines.push(
      report.workers.length === 0
        ? `no worker is running for ${project} (start one with pipe up or pipe run)`
        : `workers: ${report.workers.map((w) => (w.role ? `${w.worker_id} (${w.role})` : w.worker_id)).join(', ')}`,
    );
  }
  for (const r of report.runtimes ?? []) {
    const where = `runtime ${r.name} (Kafka Connect at ${r.urls.join(', ')})`;
    lines.push(
      r.error
        ? `${where}: could not be read: ${r.error}`
        : `${where}: ${r.workers.length === 0 ? 'no worker runs a connector of the project' : `workers ${r.workers.join(', ')}`}`,
    );
  }
  if (report.connectors.length === 0) {
    lines.push('no connectors applied');
    return `${lines.join('\n')}\n`;
  }
  const rows = [
    [
      'NAME',
      'KIND',
      'RUNTIME',
      'STATE',
      'TASKS',
      'WORKER',
      'IN',
      'OUT',
      'FAILED',
      'RATE/s',
      'LAG',
      'LAST ERROR',
    ],
  ];
  for (const c of report.connectors) {
    const running = c.tasks.filter((t) => t.state === 'RUNNING').length;
    rows.push([
      c.name,
      `${c.kind}:${c.connector}`,
      c.runtime,
      c.state,
      `${running}/${c.tasks.length}`,
      c.workerId ?? '',
      dash(c.recordsIn),
      dash(c.recordsOut),
      dash(c.recordsFailed),
      dash(c.rate),
      dash(c.lag),
      c.error ?? c.lastError ?? '',
    ]);
    for (const t of c.tasks) {
      rows.push([
        `  ${c.name}-${t.task}`,
        '',
        '',
        t.state,
        '',
        t.workerId ?? '',
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
    .description(
      'show connector and task states (on pipe workers and Kafka Connect runtimes), worker ids, records in and out, rate, sink lag and the last error',
    )
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
          const report = await readProjectStatus(desired.project);
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
