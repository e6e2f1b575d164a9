/**
 * The project the worker fault tests break: a folder with one `file` source
 * (data/in.txt) writing a new 1-partition topic as strings, applied on the
 * test broker, and `pipe run` on it in a child process that a test can kill.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyProject } from '../../src/apply/index.js';
import { loadDesiredState } from '../../src/config/load.js';
import type { DesiredState } from '../../src/config/model.js';
import { brokers, uniqueName } from './kafka.js';

export interface FileSourceProject {
  dir: string;
  topic: string;
  /** The connector's name: `<topic>-source`. */
  source: string;
  /** The file the source reads, empty at first. */
  input: string;
  desired: DesiredState;
}

/** `worker` lines go under `worker:` in pipeline.config.yaml, e.g. `exactlyOnce: true`. */
export async function fileSourceProject(name: string, worker: string[] = []): Promise<FileSourceProject> {
  const dir = await mkdtemp(join(tmpdir(), `pipe-${name}-`));
  const topic = uniqueName(name);
  await mkdir(join(dir, 'pipelines'));
  await mkdir(join(dir, 'data'));
  const input = join(dir, 'data', 'in.txt');
  await writeFile(input, '');
  await writeFile(
    join(dir, 'pipeline.config.yaml'),
    [
      'version: 1',
      `project: ${uniqueName(name)}`,
      'kafka:',
      `  brokers: ${brokers()}`,
      ...(worker.length > 0 ? ['worker:', ...worker.map((line) => `  ${line}`)] : []),
      'defaults:',
      '  value: { converter: string }',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'pipelines', 'p.yaml'),
    [
      `pipeline: ${name}`,
      'topics:',
      `  ${topic}: { partitions: 1, replicationFactor: 1 }`,
      'sources:',
      `  ${topic}-source: { connector: file, topic: ${topic}, config: { file: data/in.txt } }`,
      '',
    ].join('\n'),
  );
  const { desired } = await loadDesiredState(dir);
  await applyProject(desired, { autoApprove: true, wait: false });
  return { dir, topic, source: `${topic}-source`, input, desired };
}

/** `pipe run -C dir --no-http` from the sources, with everything it prints collected. */
export function spawnPipeRun(dir: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(
    process.execPath,
    ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', 'run', '-C', dir, '--no-http'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}
