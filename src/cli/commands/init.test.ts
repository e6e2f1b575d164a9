import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { modelineTargets } from '../../../test/helpers/modelines.js';
import { loadProject } from '../../config/load.js';
import { register as registerInit } from './init.js';
import { register as registerValidate } from './validate.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function emptyFolder(name = 'my-project'): string {
  const parent = mkdtempSync(join(tmpdir(), 'pipe-init-'));
  dirs.push(parent);
  const dir = join(parent, name);
  mkdirSync(dir);
  return dir;
}

async function pipe(dir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command('pipe').option('-C, --dir <dir>').exitOverride();
  registerInit(program);
  registerValidate(program);
  await program.parseAsync(['-C', dir, ...args], { from: 'user' });
  vi.restoreAllMocks();
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

describe('pipe init', () => {
  it.each(['file', 'datagen', 'postgres'])(
    '--example %s writes a project that pipe validate accepts, with modelines that resolve',
    async (example) => {
      const dir = emptyFolder();
      const init = await pipe(dir, 'init', '--example', example);
      expect(init.stderr).toBe('');
      expect(init.exitCode).toBe(0);
      expect(init.stdout).toContain(`wrote pipelines/${example}.yaml\n`);
      expect(init.stdout).toContain('The project validates');
      expect(await pipe(dir, 'validate')).toEqual({
        stdout: 'valid (0 errors, 0 warnings)\n',
        stderr: '',
        exitCode: 0,
      });
      expect(modelineTargets(dir)).toEqual([
        { file: 'pipeline.config.yaml', schema: 'schemas/project.schema.json', title: 'ProjectFile' },
        { file: `pipelines/${example}.yaml`, schema: 'schemas/pipeline.schema.json', title: 'PipelineFile' },
      ]);
      expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.pipe/\nnode_modules/\n');
      const { desired } = await loadProject(dir, { env: {} });
      expect(desired?.project.name).toBe('my-project');
    },
  );

  it('writes the file example by default, with the input file its source reads', async () => {
    const dir = emptyFolder();
    expect((await pipe(dir, 'init')).exitCode).toBe(0);
    expect(existsSync(join(dir, 'pipelines', 'file.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'data', 'input.txt'), 'utf8')).toBe('');
  });

  it('refuses to overwrite a project without --force, and keeps .gitignore lines it finds', async () => {
    const dir = emptyFolder();
    writeFileSync(join(dir, 'pipeline.config.yaml'), 'project: mine\n');
    writeFileSync(join(dir, '.gitignore'), 'dist/\n.pipe/');
    const refused = await pipe(dir, 'init');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `error[USAGE]: ${dir} already holds pipeline.config.yaml: pipe init writes a new project\n  hint: --force overwrites them; -C DIR initialises another folder\n`,
    );
    expect(readFileSync(join(dir, 'pipeline.config.yaml'), 'utf8')).toBe('project: mine\n');
    expect((await pipe(dir, 'init', '--force', '--project', 'other')).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'pipeline.config.yaml'), 'utf8')).toContain('project: other\n');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('dist/\n.pipe/\nnode_modules/\n');
  });

  it('names the examples when --example is not one of them', async () => {
    await expect(pipe(emptyFolder(), 'init', '--example', 'kafka')).rejects.toMatchObject({
      code: 'USAGE',
      message: '--example must be file, datagen, postgres; got "kafka"',
    });
  });

  it('is what the error in an empty folder points to', async () => {
    const dir = emptyFolder();
    const result = await pipe(dir, 'validate');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `no pipeline.config.yaml in ${dir}: not a pipe project (pipe init starts one; pipe import turns Kafka Connect files into one)\n`,
    );
  });

  it('-C with a folder that does not exist says so', async () => {
    const missing = join(emptyFolder(), 'missing');
    const result = await pipe(missing, 'validate');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`no such folder: ${missing}\n`);
  });
});
