/**
 * The projects `pipe init` writes run as written: `pipe up` on the file
 * example carries an appended line to the output file, and on the datagen
 * example prints generated records. (The postgres example needs a PostgreSQL
 * server; its unit test checks that it validates.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initProject } from '../src/init/init-project.js';
import { brokers, uniqueName, waitFor } from './helpers/kafka.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Runs `pipe up` in a new project from an example until `check` passes, then stops it with SIGTERM. */
async function upUntil(
  example: 'file' | 'datagen',
  check: (dir: string, output: () => string) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `pipe-init-${example}-`));
  dirs.push(dir);
  await initProject(dir, { example, project: uniqueName(`init-${example}`) });
  let output = '';
  const child = spawn(
    process.execPath,
    ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', 'up', '-C', dir, '--no-http'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KAFKA_BROKERS: brokers() } },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  try {
    await waitFor('pipe up to watch the project', () => /watching pipeline\.config\.yaml/.test(output), {
      timeoutMs: 30_000,
    });
    await check(dir, () => output);
  } finally {
    child.kill('SIGTERM');
    expect(await exited(child), output).toBe(0);
  }
}

describe('pipe init examples under pipe up', () => {
  it('file: a line appended to data/input.txt reaches data/output.txt', async () => {
    await upUntil('file', async (dir) => {
      await appendFile(join(dir, 'data', 'input.txt'), 'hello\n');
      await waitFor('hello in data/output.txt', async () =>
        (await readFile(join(dir, 'data', 'output.txt'), 'utf8').catch(() => '')).includes('hello\n'),
      );
    });
  });

  it('datagen: the console sink prints generated records', async () => {
    await upUntil('datagen', async (_dir, output) => {
      await waitFor('a generated record on standard output', () => /"seq":\s*0\b|seq=0\b/.test(output()), {
        timeoutMs: 30_000,
      });
    });
  });
});
