import type { Command } from 'commander';
import { changeConnectorOffsets, readConnectorOffsets } from '../../apply/offsets.js';
import { readOffsetsFile } from '../../config/offsets-file.js';
import { PipeError } from '../../errors.js';
import { action, EXIT } from '../output.js';
import { loadForPlanning } from '../planning.js';
import { offsetsJson, renderOffsets, renderPreview } from '../views/offsets.js';
import { askYes, isInteractive } from '../views/terminal.js';

interface GetOpts {
  env?: string;
  json?: boolean;
}

interface ChangeOpts {
  env?: string;
  file?: string;
  autoApprove?: boolean;
}

function needApproval(autoApprove: boolean | undefined): void {
  if (!autoApprove && !isInteractive()) {
    throw new PipeError(
      'APPLY_REFUSED',
      'refusing to change offsets without approval: there is no terminal to ask',
      {
        meta: { hint: 'review `pipe offsets get`, then run again with --auto-approve' },
      },
    );
  }
}

async function change(
  command: Command,
  address: string,
  opts: ChangeOpts,
  request: 'set' | 'reset',
): Promise<number> {
  const file = request === 'set' && opts.file ? await readOffsetsFile(opts.file) : undefined;
  const desired = await loadForPlanning(command, opts.env);
  needApproval(opts.autoApprove);
  const result = await changeConnectorOffsets(desired, address, file ? { file } : 'reset', {
    autoApprove: Boolean(opts.autoApprove),
    confirm: () => askYes('Do you want to change these offsets?'),
    onPreview: (preview) => process.stdout.write(renderPreview(preview)),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (result.changed)
    process.stdout.write(
      `done: ${address} has ${result.offsets.length} partition${result.offsets.length === 1 ? '' : 's'} with an offset\n`,
    );
  return EXIT.ok;
}

export function register(program: Command): void {
  const offsets = program
    .command('offsets')
    .description(
      "read and change a connector's offsets on the runtime it runs on (Kafka Connect's KIP-875 shape)",
    );
  offsets
    .command('get')
    .argument('<ADDRESS>', 'the connector, e.g. source.orders-file')
    .description("show the connector's offsets: source partitions, or a sink's consumer group commits")
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--json', 'print Kafka Connect\'s REST body, {"offsets":[…]}, which `offsets set --file` reads')
    .action(
      action(async (address: string, opts: GetOpts, command: Command) => {
        const desired = await loadForPlanning(command, opts.env);
        const read = await readConnectorOffsets(desired, address);
        process.stdout.write(opts.json ? offsetsJson(read.offsets) : renderOffsets(read));
        return EXIT.ok;
      }),
    );
  offsets
    .command('set')
    .argument('<ADDRESS>', 'the connector, e.g. sink.orders-db')
    .description('stop the connector, write the offsets of a file, return it to its target state')
    .requiredOption(
      '--file <offsets.json>',
      'the offsets, as `offsets get --json` prints them (null removes one)',
    )
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--auto-approve', 'change without asking (required without a terminal)')
    .action(
      action((address: string, opts: ChangeOpts, command: Command) => change(command, address, opts, 'set')),
    );
  offsets
    .command('reset')
    .argument('<ADDRESS>', 'the connector, e.g. source.orders-file')
    .description(
      'stop the connector, remove all its offsets (a sink: its consumer group), return it to its target state',
    )
    .option('-e, --env <name>', 'merge this environment of pipeline.config.yaml over the base settings')
    .option('--auto-approve', 'reset without asking (required without a terminal)')
    .action(
      action((address: string, opts: ChangeOpts, command: Command) =>
        change(command, address, opts, 'reset'),
      ),
    );
}
