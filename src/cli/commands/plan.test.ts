import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from './plan.js';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function plan(...args: string[]) {
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const program = new Command('pipe').option('-C, --dir <dir>').exitOverride();
  register(program);
  // No project in this folder: the flags are refused before anything is loaded.
  await program.parseAsync(['-C', '/nonexistent-pipe-project', 'plan', ...args], { from: 'user' });
  return { stderr: err.join(''), exitCode: process.exitCode };
}

describe('pipe plan flags', () => {
  it('refuses --json with --format markdown instead of choosing one silently', async () => {
    expect(await plan('--json', '--format', 'markdown')).toEqual({
      stderr: 'error[USAGE]: --json and --format markdown ask for two formats: give one\n',
      exitCode: 1,
    });
  });

  it('takes --json with --format json, which say the same', async () => {
    const result = await plan('--json', '--format', 'json');
    expect(result.stderr).toContain('no such folder: /nonexistent-pipe-project');
  });
});
