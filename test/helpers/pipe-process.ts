/**
 * `pipe` in its own process, from the sources, as a user runs it: for tests
 * that signal it (SIGTERM) or read what it prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface PipeProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
}

export function spawnPipe(args: string[], env: NodeJS.ProcessEnv = process.env): PipeProcess {
  let output = '';
  const child = spawn(
    process.execPath,
    ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output, exited };
}

/** Resolves once the process is gone, at once when it already is. */
export function exited(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
  );
}

/** kill -9, resolved once the process is gone: a worker that had no chance to flush, commit or say goodbye. */
export function killHard(child: ChildProcess): Promise<unknown> {
  child.kill('SIGKILL');
  return exited(child);
}
