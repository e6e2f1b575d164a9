/**
 * Where the benchmarks find the repository. The runner is compiled to a
 * folder of its own (bench/out/build), so its depth below the root is not
 * fixed: the root is the nearest folder above that holds package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipeError } from '../src/errors.js';

function repositoryRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new PipeError('INTERNAL', `no package.json above ${start}`);
  }
}

export const ROOT = repositoryRoot(dirname(fileURLToPath(import.meta.url)));

/** The command line users run: the package's built CLI, not a copy compiled for the bench. */
export const PIPE_CLI = join(ROOT, 'dist', 'cli', 'main.js');
