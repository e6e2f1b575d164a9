import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { register as registerApply } from './commands/apply.js';
import { register as registerDestroy } from './commands/destroy.js';
import { register as registerDevKafka } from './commands/dev-kafka.js';
import { register as registerImport } from './commands/import.js';
import { register as registerPlan } from './commands/plan.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSchema } from './commands/schema.js';
import { register as registerStatus } from './commands/status.js';
import { register as registerUp } from './commands/up.js';
import { register as registerValidate } from './commands/validate.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

/**
 * The whole command tree. Each command lives in its own file under commands/
 * and registers itself here; this file only wires them.
 */
export function buildProgram(): Command {
  const program = new Command('pipe')
    .description('declarative pipelines for Apache Kafka: plan, apply and run sources, topics and sinks')
    .version(version(), '-V, --version')
    .option('-C, --dir <dir>', 'project folder (default: the current one)')
    .showHelpAfterError();
  const commands = [
    registerValidate,
    registerPlan,
    registerApply,
    registerDestroy,
    registerSchema,
    registerImport,
    registerUp,
    registerRun,
    registerStatus,
    registerDevKafka,
  ];
  for (const register of commands) register(program);
  return program;
}
