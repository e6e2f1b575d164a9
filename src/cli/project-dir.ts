import { resolve } from 'node:path';
import type { Command } from 'commander';

/** The project folder a command acts on: `-C/--dir` when given, else the current folder. */
export function projectDir(command: Command): string {
  const dir = command.optsWithGlobals()['dir'] as string | undefined;
  return resolve(dir ?? process.cwd());
}
