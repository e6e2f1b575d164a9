import type { Command } from 'commander';
import { applyProject } from '../../apply/index.js';
import type { ProjectSpec } from '../../config/model.js';
import { PipeError } from '../../errors.js';
import type { Plan } from '../../plan/model.js';
import { stateTopicNames } from '../../state/records.js';
import { action, EXIT } from '../output.js';
import { loadForPlanning } from '../planning.js';
import { doneLine, renderPlan } from '../views/plan.js';
import { askYes, isInteractive } from '../views/terminal.js';

/**
 * Destroy empties the project's state topics of its records but keeps the
 * topics: another project may share the prefix, and pipe never deletes what
 * it did not create for the project's resources.
 */
function stateTopicsRemain(project: ProjectSpec): string {
  const names = Object.values(stateTopicNames(project.state.topicPrefix));
  const pattern = names.map((n) => n.replaceAll('.', '\\.')).join('|');
  return [
    `The state topics ${names.join(', ')} remain, without this project's records.`,
    'To remove them too (no other project may use the same state.topicPrefix):',
    `  kafka-topics.sh --bootstrap-server ${project.kafka.brokers.join(',')} --delete --topic '${pattern}'`,
    '',
  ].join('\n');
}

interface DestroyOpts {
  env?: string;
  autoApprove?: boolean;
  allowDelete?: boolean;
}

export function register(program: Command): void {
  program
    .command('destroy')
    .description(
      'delete every topic and connector this project manages, with their offsets and state records; nothing else',
    )
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--auto-approve', 'destroy without asking (required without a terminal, e.g. in CI)')
    .option(
      '--allow-delete',
      'allow deleting topics (their data goes) and protected resources: the same rule as apply',
    )
    .action(
      action(async (opts: DestroyOpts, command: Command) => {
        if (!opts.autoApprove && !isInteractive()) {
          throw new PipeError(
            'APPLY_REFUSED',
            'refusing to destroy without approval: there is no terminal to ask',
            {
              meta: { hint: 'run `pipe destroy --auto-approve` once you are sure' },
            },
          );
        }
        const desired = await loadForPlanning(command, opts.env);
        const result = await applyProject(desired, {
          destroy: true,
          autoApprove: Boolean(opts.autoApprove),
          confirm: () =>
            askYes(
              `Do you really want to destroy every resource of project ${desired.project.name}? Data is lost.`,
            ),
          onPlan: (plan: Plan) => process.stdout.write(renderPlan(plan, 'human')),
          allowDelete: Boolean(opts.allowDelete),
          wait: false,
          log: (line) => process.stdout.write(`${line}\n`),
        });
        if (result.applied.length > 0) {
          process.stdout.write(`\n${doneLine('Destroy', result.plan.summary)}\n`);
          process.stdout.write(stateTopicsRemain(desired.project));
        }
        return EXIT.ok;
      }),
    );
}
