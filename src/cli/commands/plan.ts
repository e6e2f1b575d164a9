import type { Command } from 'commander';
import { hasErrors } from '../../diagnostics.js';
import { PipeError } from '../../errors.js';
import { planProject } from '../../plan/index.js';
import { hasChanges } from '../../plan/model.js';
import { writePlanFile } from '../../plan/plan-file.js';
import { assertPlannable } from '../../plan/problems.js';
import { action, EXIT } from '../output.js';
import { collect, loadForPlanning } from '../planning.js';
import { type PlanFormat, renderPlan } from '../views/plan.js';

function parseFormat(value: string): PlanFormat {
  if (value === 'human' || value === 'json' || value === 'markdown') return value;
  throw new PipeError('USAGE', `--format must be human, json or markdown, got "${value}"`);
}

interface PlanOpts {
  env?: string;
  out?: string;
  detailedExitcode?: boolean;
  target?: string[];
  json?: boolean;
  format?: PlanFormat;
  showUnmanaged?: boolean;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('show what apply would change in the cluster, without changing anything')
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--out <file>', 'save the plan for `pipe apply FILE`, which applies exactly it')
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 when none, 1 on error)')
    .option('--target <address>', 'plan only this resource (repeatable), e.g. topic.orders', collect)
    .option('--json', 'print the plan as JSON (same as --format json)')
    .option('--format <format>', 'human, json or markdown (for pull-request comments)', parseFormat)
    .option(
      '--show-unmanaged',
      'also list the connectors on the Kafka Connect runtimes that no pipe project manages (never changed or deleted)',
    )
    .action(
      action(async (opts: PlanOpts, command: Command) => {
        if (opts.json && opts.format !== undefined && opts.format !== 'json') {
          throw new PipeError('USAGE', `--json and --format ${opts.format} ask for two formats: give one`);
        }
        const format = opts.json ? 'json' : (opts.format ?? 'human');
        const desired = await loadForPlanning(command, opts.env);
        const showUnmanaged = Boolean(opts.showUnmanaged);
        const plan = await planProject(desired, {
          ...(opts.target ? { targets: opts.target } : {}),
          readEveryRuntime: showUnmanaged,
        });
        const render = () => renderPlan(plan, format, { showUnmanaged });
        // JSON and Markdown carry the problems for scripts and pull-request comments; the error still sets exit 1.
        if (hasErrors(plan.diagnostics) && format !== 'human') process.stdout.write(render());
        assertPlannable(plan);
        if (opts.out) await writePlanFile(opts.out, plan);
        process.stdout.write(render());
        if (opts.out && format === 'human') {
          process.stdout.write(
            `\nSaved the plan to ${opts.out}: \`pipe apply ${opts.out}\` applies exactly it.\n`,
          );
        }
        return hasChanges(plan) && opts.detailedExitcode ? EXIT.changes : EXIT.ok;
      }),
    );
}
