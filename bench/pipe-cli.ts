/**
 * pipe as the benchmarks see it: a command line (`node dist/cli/main.js`)
 * and a project folder, so what is measured is what users run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { PIPE_CLI } from './paths.js';
import { NotMeasured } from './results.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end and times it from spawn to exit. */
export function timeCommand(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: String(err), ms: performance.now() - started });
    });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms });
    });
  });
}

export function pipe(args: string[], options: { timeoutMs?: number } = {}): Promise<CommandResult> {
  return timeCommand(process.execPath, [PIPE_CLI, ...args], options);
}

let commands: Promise<Set<string>> | undefined;

/** The top-level commands `pipe --help` lists. */
async function listCommands(): Promise<Set<string>> {
  const help = await pipe(['--help'], { timeoutMs: 30_000 });
  const section = help.stdout.split(/^Commands:$/m)[1] ?? '';
  return new Set([...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!));
}

/** Whether this build of pipe has a command; the suite runs while pipe is still being built. */
export async function pipeHas(command: string): Promise<boolean> {
  commands ??= listCommands();
  return (await commands).has(command);
}

export async function requirePipe(...commands: string[]): Promise<void> {
  for (const command of commands) {
    if (!(await pipeHas(command))) throw new NotMeasured(`this build of pipe has no \`pipe ${command}\` yet`);
  }
}

/** A failed pipe command as a NotMeasured reason, with the end of what it printed. */
export function failed(what: string, result: CommandResult): NotMeasured {
  const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-8).join('\n');
  return new NotMeasured(`\`pipe ${what}\` exited with ${result.code}: ${output}`, { failure: true });
}

export interface ProjectSpec {
  project: string;
  brokers: string;
  /** File name (without .yaml) → pipeline document. */
  pipelines: Record<string, Record<string, unknown>>;
  worker?: Record<string, unknown>;
  /** More settings of pipeline.config.yaml (`runtimes`, `runtime`). */
  settings?: Record<string, unknown>;
}

export async function writeProject(dir: string, spec: ProjectSpec): Promise<void> {
  await mkdir(join(dir, 'pipelines'), { recursive: true });
  await writeFile(
    join(dir, 'pipeline.config.yaml'),
    stringify({
      project: spec.project,
      kafka: { brokers: spec.brokers.split(',') },
      // A free port each: workers of runs side by side (or a developer's own on 8083) never collide.
      worker: { offsetStorage: 'file', http: { listen: '127.0.0.1:0' }, ...spec.worker },
      ...spec.settings,
    }),
  );
  for (const [name, doc] of Object.entries(spec.pipelines)) {
    await writeFile(join(dir, 'pipelines', `${name}.yaml`), stringify({ pipeline: name, ...doc }));
  }
}

export interface PipeWorker {
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Set once the worker exited on its own, with its exit code and the log's end. */
  failure(): string | undefined;
  stop(): Promise<number>;
}

/** `pipe -C dir run` in the background, its output going to a log file. */
export function startPipeWorker(
  dir: string,
  options: { nodeArgs?: string[]; logFile: string; runArgs?: string[] },
): PipeWorker {
  const log = openSync(options.logFile, 'a');
  const args = [...(options.nodeArgs ?? []), PIPE_CLI, '-C', dir, 'run', ...(options.runArgs ?? [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exit: string | undefined;
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = `pipe run exited (${signal ?? code}); see ${options.logFile}`;
      resolve(code ?? 128);
    });
  });
  const kill = () => child.kill('SIGKILL');
  process.on('exit', kill);
  return {
    pid: child.pid!,
    child,
    logFile: options.logFile,
    failure: () => exit,
    async stop() {
      if (exit === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 20_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', kill);
      return exited;
    },
  };
}
