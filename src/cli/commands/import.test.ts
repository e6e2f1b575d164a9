import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  describe("with Connect standalone's offset file", () => {
    const realFile = fileURLToPath(
      new URL('../../../test/fixtures/connect-standalone/two-file-sources-4.2.0.offsets', import.meta.url),
    );

    function workerNaming(dir: string, offsets: string): string {
      const worker = join(dir, 'worker.properties');
      writeFileSync(worker, `bootstrap.servers=localhost:9092\noffset.storage.file.filename=${offsets}\n`);
      return worker;
    }

    it("converts its offsets into the project's offset file and says whose they are", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pipe-import-cli-'));
      dirs.push(dir);
      const result = await pipeImport(workerNaming(dir, realFile), '--out', join(dir, 'p'));
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(
        `converted the offsets of src-a (1 partition), src-b (1 partition) from ${realFile} (left as it was) into .pipe/offsets.json`,
      );
      expect(JSON.parse(readFileSync(join(dir, 'p', '.pipe', 'offsets.json'), 'utf8'))).toEqual({
        version: 1,
        offsets: {
          '["src-a",{"filename":"/tmp/wt-offsets-gen-9az1Qe/a.txt"}]': { position: 8 },
          '["src-b",{"filename":"/tmp/wt-offsets-gen-9az1Qe/b.txt"}]': { position: 4 },
        },
      });
      expect(readFileSync(join(dir, 'p', 'pipeline.config.yaml'), 'utf8')).toContain(
        'offsetFile: .pipe/offsets.json',
      );
    });

    it('fails naming the file when it is not one, and writes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pipe-import-cli-'));
      dirs.push(dir);
      const cut = join(dir, 'connect.offsets');
      writeFileSync(cut, readFileSync(realFile).subarray(0, 100));
      const result = await pipeImport(workerNaming(dir, cut), '--out', join(dir, 'p'));
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`${cut} is not a Kafka Connect standalone offset file`);
      expect(existsSync(join(dir, 'p'))).toBe(false);
    });

    it('carries nothing when Connect has not written it yet', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pipe-import-cli-'));
      dirs.push(dir);
      const missing = join(dir, 'none.offsets');
      const result = await pipeImport(workerNaming(dir, missing), '--out', join(dir, 'p'));
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`${missing} does not exist: no offsets to carry`);
      expect(existsSync(join(dir, 'p', '.pipe', 'offsets.json'))).toBe(false);
    });
  });
});
