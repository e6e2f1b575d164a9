import { readFileSync } from 'node:fs';
import { Command } from 'commander';

type Registrar = () => Promise<{ register(program: Command): void }>;

/**
 * Every command, by the name a user types, loaded on demand: a command's
 * module pulls in its whole core (the Kafka client, ajv, the worker), and
 * loading all of them cost more than Node's own start-up for every call.
 */
const COMMANDS: Record<string, Registrar> = {
  init: () => import('./commands/init.js'),
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  apply: () => import('./commands/apply.js'),
  destroy: () => import('./commands/destroy.js'),
  'force-unlock': () => import('./commands/force-unlock.js'),
  schema: () => import('./commands/schema.js'),
  import: () => import('./commands/import.js'),
  up: () => import('./commands/up.js'),
  run: () => import('./commands/run.js'),
  status: () => import('./commands/status.js'),
  restart: () => import('./commands/restart.js'),
  offsets: () => import('./commands/offsets.js'),
  dev: () => import('./commands/dev-kafka.js'),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

/** The first word of the arguments that is not an option or the value of `-C/--dir`. */
export function commandName(args: readonly string[]): string | undefined {
  let folderNext = false;
  for (const arg of args) {
    if (folderNext) folderNext = false;
    else if (arg === '-C' || arg === '--dir') folderNext = true;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** The commands a call needs: the one it names, none for `--version`, all for help or a typo. */
function commandsFor(args: readonly string[]): Registrar[] {
  const name = commandName(args);
  const named =
    name !== undefined && name !== 'help' && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (named) return [named];
  if (name === undefined && args.some((a) => a === '-V' || a === '--version')) return [];
  return Object.values(COMMANDS);
}

/**
 * The command tree for one call (`args` without `node` and the script). Each
 * command lives in its own file under commands/ and registers itself here;
 * this file only wires them.
 */
export async function buildProgram(args: readonly string[] = process.argv.slice(2)): Promise<Command> {
  const program = new Command('pipe')
    .description('declarative pipelines for Apache Kafka: plan, apply and run sources, topics and sinks')
    .version(version(), '-V, --version')
    .option('-C, --dir <dir>', 'project folder (default: the current one)')
    .showHelpAfterError();
  const modules = await Promise.all(commandsFor(args).map((load) => load()));
  for (const module of modules) module.register(program);
  return program;
}
