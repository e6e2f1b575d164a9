import type { Command } from 'commander';
import { formatDiagnostics } from '../../config/diagnostics.js';
import { loadDesiredState } from '../../config/load.js';
import type { DesiredState } from '../../config/model.js';
import { PipeError } from '../../errors.js';
import { planProject } from '../../plan/index.js';
import { hasChanges, type Plan } from '../../plan/model.js';
import { writePlanFile } from '../../plan/plan-file.js';
import { assertPlannable } from '../../plan/problems.js';
import { renderHuman, wantsColour } from '../../plan/render-human.js';
import { renderJson } from '../../plan/render-json.js';
import { renderMarkdown } from '../../plan/render-markdown.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';

export type PlanFormat = 'human' | 'json' | 'markdown';

/** Loads the project for plan, apply and destroy; warnings go to stderr so stdout stays the plan. */
export async function loadForPlanning(
  command: Command,
  environment: string | undefined,
): Promise<DesiredState> {
  const { desired, warnings } = await loadDesiredState(
    projectDir(command),
    environment === undefined ? {} : { environment },
  );
  if (warnings.length > 0) process.stderr.write(`${formatDiagnostics(warnings)}\n`);
  return desired;
}

export function renderPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return renderJson(plan);
    case 'markdown':
      return renderMarkdown(plan);
    case 'human':
      return renderHuman(plan, { colour: wantsColour(process.stdout) });
  }
}

function parseFormat(value: string): PlanFormat {
  if (value === 'human' || value === 'json' || value === 'markdown') return value;
  throw new PipeError('USAGE', `--format must be human, json or markdown, got "${value}"`);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface PlanOpts {
  env?: string;
  out?: string;
  detailedExitcode?: boolean;
  target?: string[];
  json?: boolean;
  format?: PlanFormat;
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
    .action(
      action(async (opts: PlanOpts, command: Command) => {
        const desired = await loadForPlanning(command, opts.env);
        const plan = await planProject(desired, opts.target ? { targets: opts.target } : {});
        const format = opts.json ? 'json' : (opts.format ?? 'human');
        // JSON and Markdown carry the problems for scripts and pull-request comments; the error still sets exit 1.
        if (plan.problems.length > 0 && format !== 'human') process.stdout.write(renderPlan(plan, format));
        assertPlannable(plan);
        if (opts.out) await writePlanFile(opts.out, plan);
        process.stdout.write(renderPlan(plan, format));
        if (opts.out && format === 'human') {
          process.stdout.write(
            `\nSaved the plan to ${opts.out}: \`pipe apply ${opts.out}\` applies exactly it.\n`,
          );
        }
        return hasChanges(plan) && opts.detailedExitcode ? EXIT.changes : EXIT.ok;
      }),
    );
}
