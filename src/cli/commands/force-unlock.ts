import type { Command } from 'commander';
import { forceUnlock } from '../../apply/force-unlock.js';
import { PipeError } from '../../errors.js';
import type { LockRecord } from '../../state/records.js';
import { action, EXIT } from '../output.js';
import { loadForPlanning } from '../planning.js';
import { askYes, isInteractive } from '../views/terminal.js';

interface ForceUnlockOpts {
  env?: string;
  autoApprove?: boolean;
}

const describeLease = (lease: LockRecord) =>
  `lock ${lease.id}, held by ${lease.holder} since ${lease.since}, until ${lease.expiresAt}`;

export function register(program: Command): void {
  program
    .command('force-unlock')
    .argument(
      '[LOCK_ID]',
      'the id of the lock to break, as `pipe apply` showed it; without it, the current lock',
    )
    .description(
      "break the project's apply lock, for a lock whose holder is gone and that will not expire soon",
    )
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--auto-approve', 'break the lock without asking (required without a terminal)')
    .action(
      action(async (lockId: string | undefined, opts: ForceUnlockOpts, command: Command) => {
        if (!opts.autoApprove && !isInteractive()) {
          throw new PipeError(
            'APPLY_REFUSED',
            'refusing to break the lock without approval: there is no terminal to ask',
            {
              meta: {
                hint: 'run `pipe force-unlock LOCK_ID --auto-approve` once you are sure its apply is not running',
              },
            },
          );
        }
        const desired = await loadForPlanning(command, opts.env);
        const project = desired.project.name;
        const result = await forceUnlock(desired.project, {
          ...(lockId === undefined ? {} : { lockId }),
          ...(opts.autoApprove
            ? {}
            : {
                confirm: (lease: LockRecord) =>
                  askYes(
                    `Do you really want to break the ${describeLease(lease)}?\n  An apply still running under it would no longer be kept from running beside another.`,
                  ),
              }),
          onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
        });
        switch (result.kind) {
          case 'not-locked':
            process.stdout.write(`project ${project} is not locked: nothing to do\n`);
            return EXIT.ok;
          case 'declined':
            process.stdout.write('Force-unlock cancelled: the lock is unchanged.\n');
            return EXIT.error;
          case 'unlocked':
            process.stdout.write(
              `Broke the ${describeLease(result.lease)}: project ${project} is unlocked.\n`,
            );
            return EXIT.ok;
        }
      }),
    );
}
