import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { modelineTargets } from '../../../test/helpers/modelines.js';
import { register } from './import.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/connect-import/', import.meta.url));
const SEED = ['connect-standalone.properties', 'connect-source.properties', 'connect-sink.properties'].map(
  (f) => join(fixtures, f),
);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function pipeImport(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command('pipe').option('-C, --dir <dir>').exitOverride();
  register(program);
  await program.parseAsync(['import', ...args], { from: 'user' });
  return { stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode };
}

describe('pipe import', () => {
  it("writes the seed's files as a project that validates, and reports what it left out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipe-import-cli-'));
    dirs.push(dir);
    const result = await pipeImport(...SEED, '--out', dir, '--pipeline', 'file-demo', '--project', 'demo');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('the imported project validates');
    expect(result.stderr).toContain(
      'connect-standalone.properties:7: warning: internal.key.converter is obsolete',
    );
    expect(readFileSync(join(dir, 'pipeline.config.yaml'), 'utf8')).toContain('project: demo');
    expect(existsSync(join(dir, 'pipelines', 'file-demo.yaml'))).toBe(true);
    expect(modelineTargets(dir)).toEqual([
      { file: 'pipeline.config.yaml', schema: 'schemas/project.schema.json', title: 'ProjectFile' },
      { file: 'pipelines/file-demo.yaml', schema: 'schemas/pipeline.schema.json', title: 'PipelineFile' },
    ]);
  });

  it('refuses to overwrite files without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipe-import-cli-'));
    dirs.push(dir);
    await pipeImport(...SEED, '--out', dir);
    const again = await pipeImport(...SEED, '--out', dir);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('would overwrite');
    expect((await pipeImport(...SEED, '--out', dir, '--force')).exitCode).toBe(0);
  });
});
