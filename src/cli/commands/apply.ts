import type { Command } from 'commander';
import { applyProject, DEFAULT_WAIT_TIMEOUT_MS, describeWait } from '../../apply/index.js';
import { PipeError } from '../../errors.js';
import type { Plan } from '../../plan/model.js';
import { readPlanFile } from '../../plan/plan-file.js';
import { action, EXIT } from '../output.js';
import { collect, loadForPlanning } from '../planning.js';
import { doneLine, renderPlan } from '../views/plan.js';
import { askYes, isInteractive } from '../views/terminal.js';

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new PipeError('USAGE', `--wait-timeout must be a number of seconds, got "${value}"`);
  }
  return seconds * 1000;
}

interface ApplyOpts {
  env?: string;
  autoApprove?: boolean;
  allowDelete?: boolean;
  allowReplace?: boolean;
  target?: string[];
  wait: boolean;
  waitTimeout?: number;
}

export function register(program: Command): void {
  program
    .command('apply [file]')
    .description(
      'make the cluster match the project: plan, show, ask, apply; with FILE, apply exactly that saved plan',
    )
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--auto-approve', 'apply without asking (required without a terminal, e.g. in CI)')
    .option('--allow-delete', 'allow deleting topics (their data goes) and protected resources')
    .option(
      '--allow-replace',
      'allow replacing resources that cannot change in place (data or offsets are lost)',
    )
    .option('--target <address>', 'apply only this resource (repeatable), e.g. topic.orders', collect)
    .option('--no-wait', 'do not wait for a worker to report the connectors RUNNING')
    .option(
      '--wait-timeout <seconds>',
      `how long to wait for RUNNING (default ${DEFAULT_WAIT_TIMEOUT_MS / 1000})`,
      parseSeconds,
    )
    .action(
      action(async (file: string | undefined, opts: ApplyOpts, command: Command) => {
        if (file && opts.target) {
          throw new PipeError(
            'USAGE',
            '--target cannot be combined with a saved plan: the plan already says what it applies',
          );
        }
        const savedPlan = file ? await readPlanFile(file) : undefined;
        const desired = await loadForPlanning(command, opts.env ?? savedPlan?.environment);
        // A saved plan was reviewed when it was made: applying it is the approval.
        const autoApprove = Boolean(opts.autoApprove || savedPlan);
        if (!autoApprove && !isInteractive()) {
          throw new PipeError(
            'APPLY_REFUSED',
            'refusing to apply without approval: there is no terminal to ask',
            {
              meta: {
                hint: 'review `pipe plan`, then run `pipe apply --auto-approve` (as CI does), or apply a saved plan file',
              },
            },
          );
        }
        const result = await applyProject(desired, {
          autoApprove,
          confirm: () => askYes('Do you want to perform these actions?'),
          onPlan: (plan: Plan) => process.stdout.write(renderPlan(plan, 'human')),
          ...(savedPlan ? { savedPlan } : {}),
          ...(opts.target ? { targets: opts.target } : {}),
          allowDelete: Boolean(opts.allowDelete),
          allowReplace: Boolean(opts.allowReplace),
          wait: opts.wait,
          waitTimeoutMs: opts.waitTimeout ?? DEFAULT_WAIT_TIMEOUT_MS,
          log: (line) => process.stdout.write(`${line}\n`),
        });
        if (result.applied.length === 0) return EXIT.ok;
        process.stdout.write(`\n${doneLine('Apply', result.plan.summary)}\n`);
        const wait = describeWait(result.wait, desired.project.name);
        if (wait.line) process.stdout.write(`${wait.line}\n`);
        if (wait.error) throw wait.error;
        return EXIT.ok;
      }),
    );
}
