import type { Command } from 'commander';
import { restartConnector } from '../../runtime/restart.js';
import { action, EXIT } from '../output.js';
import { loadForPlanning } from '../planning.js';

interface RestartOpts {
  env?: string;
  failed?: boolean;
}

export function register(program: Command): void {
  program
    .command('restart')
    .argument('<ADDRESS>', 'the connector to restart, e.g. source.orders-cdc')
    .description('restart a connector and its tasks on the Kafka Connect runtime it runs on')
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--failed', 'restart only the connector and tasks that are FAILED')
    .action(
      action(async (address: string, opts: RestartOpts, command: Command) => {
        const desired = await loadForPlanning(command, opts.env);
        const { runtime, name } = await restartConnector(desired, address, {
          onlyFailed: Boolean(opts.failed),
        });
        process.stdout.write(
          `restarted ${name}${opts.failed ? ' (its failed parts)' : ' and its tasks'} on runtime ${runtime}\n`,
        );
        return EXIT.ok;
      }),
    );
}
