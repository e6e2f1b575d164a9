/**
 * Project files a GitOps runner may be handed by a pull request: an alias
 * bomb, a file of megabytes, a FIFO or a folder where a file should be, a
 * symlink loop, Latin-1 bytes. `pipe validate` and `pipe plan` (the built
 * CLI, as a runner calls it) end on each with an error naming the file, never
 * a hang, a crash or error[INTERNAL]. Every run is killed after a bound, so a
 * hang fails the test instead of stalling the suite.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/config-file.js';
import { loadProject } from '../../src/config/load.js';
import { brokers, uniqueName } from '../helpers/kafka.js';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const BOUND_MS = 30_000;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(pipelines: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-hostile-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(
    join(dir, 'pipeline.config.yaml'),
    `project: ${uniqueName('hostile')}\nkafka:\n  brokers: [${brokers()}]\n`,
  );
  for (const [name, text] of Object.entries(pipelines)) writeFileSync(join(dir, 'pipelines', name), text);
  return dir;
}

interface Run {
  code: number | null;
  output: string;
  killed: boolean;
}

/** The built CLI in its own process, killed if it outlives the bound. */
function pipe(dir: string, command: 'validate' | 'plan'): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '-C', dir, command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, BOUND_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, killed });
    });
  });
}

async function refused(dir: string, command: 'validate' | 'plan', expected: RegExp): Promise<void> {
  const run = await pipe(dir, command);
  expect(run.killed).toBe(false);
  expect(run.code).toBe(1);
  expect(run.output).not.toContain('INTERNAL');
  expect(run.output).toMatch(expected);
}

function aliasBomb(): string {
  const lines = ['pipeline: bomb', 'vars:', '  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    lines.push(
      `  ${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile project files', { timeout: 2 * BOUND_MS + 10_000 }, () => {
  it('an alias bomb is refused at the alias that crosses the limit, by validate and plan', async () => {
    const dir = project({ 'bomb.yaml': aliasBomb() });
    const at = /pipelines\/bomb\.yaml:8:11: YAML aliases in this file repeat more than 100,000 values/;
    await refused(dir, 'validate', at);
    await refused(dir, 'plan', at);
  });

  it('a FIFO named like a pipeline file is refused, not waited on, by validate and plan', async () => {
    const dir = project({ 'a.yaml': 'pipeline: a\n' });
    await new Promise<void>((resolve, reject) =>
      spawn('mkfifo', [join(dir, 'pipelines', 'fifo.yaml')]).once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`mkfifo exited ${code}`)),
      ),
    );
    const named = /pipelines\/fifo\.yaml:1:1: pipelines\/fifo\.yaml is a named pipe \(FIFO\), not a file/;
    await refused(dir, 'validate', named);
    await refused(dir, 'plan', named);
  });

  it('pipeline.config.yaml as a symlink loop or a folder is an error naming it', async () => {
    const loop = project();
    rmSync(join(loop, 'pipeline.config.yaml'));
    symlinkSync(join(loop, 'pipeline.config.yaml'), join(loop, 'pipeline.config.yaml'));
    await refused(loop, 'validate', /pipeline\.config\.yaml:1:1: pipeline\.config\.yaml .*symlink loop/);
    const folder = project();
    rmSync(join(folder, 'pipeline.config.yaml'));
    mkdirSync(join(folder, 'pipeline.config.yaml'));
    await refused(
      folder,
      'plan',
      /pipeline\.config\.yaml:1:1: pipeline\.config\.yaml is a folder, not a file/,
    );
  });

  it('a folder named x.yaml in pipelines is reported, not left out', async () => {
    const dir = project({ 'a.yaml': 'pipeline: a\n' });
    mkdirSync(join(dir, 'pipelines', 'x.yaml'));
    await refused(dir, 'validate', /pipelines\/x\.yaml:1:1: pipelines\/x\.yaml is a folder, not a file/);
  });

  it('Latin-1 bytes are an error at their line, not a silent U+FFFD', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('pipeline: latin\ntopics:\n  caf'),
      Buffer.from([0xe9]),
      Buffer.from(':\n    partitions: 1\n'),
    ]);
    const dir = project({ 'latin.yaml': latin1 });
    await refused(dir, 'validate', /pipelines\/latin\.yaml:3:6: byte 0xE9 is not UTF-8/);
  });

  it('a file over the size limit is refused before it is read', async () => {
    const dir = project({ 'huge.yaml': '' });
    // Sparse: over the limit without writing the bytes.
    truncateSync(join(dir, 'pipelines', 'huge.yaml'), MAX_CONFIG_BYTES + 1);
    await refused(dir, 'validate', /pipelines\/huge\.yaml is 24\.0 MB: pipe reads files up to 24\.0 MB/);
  });

  it('a 4 MB file of 50,000 topics loads (in linear time: quadratic took about a minute)', async () => {
    const topics: string[] = [];
    for (let i = 0; topics.length * 80 < 4 * 1024 * 1024; i++) {
      topics.push(
        `  big-${String(i).padStart(6, '0')}:\n    partitions: 3\n    config:\n      retention.ms: 86400000\n`,
      );
    }
    const dir = project({ 'big.yaml': `pipeline: big\ntopics:\n${topics.join('')}` });
    const { desired, diagnostics } = await loadProject(dir);
    expect(diagnostics).toEqual([]);
    expect(desired?.topics).toHaveLength(topics.length);
    expect(desired?.topics.at(-1)).toMatchObject({
      name: `big-${String(topics.length - 1).padStart(6, '0')}`,
      partitions: 3,
      origin: { file: 'pipelines/big.yaml', line: 3 + 4 * (topics.length - 1) },
    });
  });
});
