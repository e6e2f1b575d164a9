import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { register } from './validate.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function project(pipeline: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-validate-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipeline.config.yaml'), 'project: p\nkafka: { brokers: "b:1" }\n');
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline);
  return dir;
}

async function validate(dir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command('pipe').option('-C, --dir <dir>').exitOverride();
  register(program);
  await program.parseAsync(['-C', dir, 'validate', ...args], { from: 'user' });
  return { stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode };
}

describe('pipe validate', () => {
  it('exits 0 for a valid project', async () => {
    const result = await validate(project('topics:\n  t: { partitions: 1 }\n'));
    expect(result).toEqual({ stdout: 'valid (0 errors, 0 warnings)\n', stderr: '', exitCode: 0 });
  });

  it('exits 1 and prints file:line:column: path: message for an invalid one', async () => {
    const result = await validate(project('topics:\n  t: { partitions: 0 }\n'));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('pipelines/p.yaml:2:20: topics.t.partitions: must be an integer ≥ 1\n');
  });

  it('prints {valid, errors, warnings} with --json', async () => {
    const result = await validate(
      project('topics:\n  t: { partitions: 0, config: { retention.msec: 1 } }\n'),
      '--json',
    );
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      errors: [
        {
          severity: 'error',
          code: 'CONFIG_SCHEMA',
          summary: 'must be an integer ≥ 1',
          source: { file: 'pipelines/p.yaml', line: 2, column: 20, pointer: '/topics/t/partitions' },
        },
      ],
      warnings: [
        {
          severity: 'warning',
          code: 'UNKNOWN_TOPIC_CONFIG',
          summary: '"retention.msec" is not a topic config pipe knows; it is passed to Kafka unchecked',
          source: {
            file: 'pipelines/p.yaml',
            line: 2,
            column: 33,
            pointer: '/topics/t/config/retention.msec',
          },
          suggestion: 'did you mean "retention.ms"?',
        },
      ],
    });
  });

  it('is valid with warnings only', async () => {
    const result = await validate(project('topics:\n  t: { config: { retention.msec: 1 } }\n'), '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: true,
      errors: [],
      warnings: [{ code: 'UNKNOWN_TOPIC_CONFIG' }],
    });
  });
});
