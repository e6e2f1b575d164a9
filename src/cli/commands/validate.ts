import type { Command } from 'commander';
import { diagnosticsReport, formatDiagnostics } from '../../config/diagnostics.js';
import { loadProject } from '../../config/load.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description("check the project's files without touching a cluster: exit 0 when valid, 1 when not")
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--json', 'print {valid, errors, warnings} as JSON')
    .action(
      action(async (opts: { env?: string; json?: boolean }, command: Command) => {
        const { diagnostics } = await loadProject(
          projectDir(command),
          opts.env === undefined ? {} : { environment: opts.env },
        );
        const report = diagnosticsReport(diagnostics);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          if (diagnostics.length) process.stderr.write(`${formatDiagnostics(diagnostics)}\n`);
          const counts = `${report.errors.length} error${report.errors.length === 1 ? '' : 's'}, ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}`;
          process.stdout.write(report.valid ? `valid (${counts})\n` : `invalid (${counts})\n`);
        }
        return report.valid ? EXIT.ok : EXIT.error;
      }),
    );
}
