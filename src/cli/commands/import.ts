import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostics, hasErrors } from '../../config/diagnostics.js';
import { loadProject } from '../../config/load.js';
import type { ConnectRuntimeSpec } from '../../config/model.js';
import { PROJECT_FILE } from '../../config/project-file.js';
import { PipeError } from '../../errors.js';
import type { ImportResult } from '../../import/import-connect.js';
import type { ImportNote } from '../../import/settings.js';
import { projectNameFor } from '../../init/init-project.js';
import { PROJECT_SCHEMA_DIR, writeSchemaFiles } from '../../init/schema-files.js';
import { action, EXIT } from '../output.js';
import { collect } from '../planning.js';
import { projectDir } from '../project-dir.js';

interface ImportOpts {
  out?: string;
  project?: string;
  pipeline: string;
  force?: boolean;
  fromConnect?: string;
  connector?: string[];
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'turn Kafka Connect files into a pipe project: a worker .properties into pipeline.config.yaml, connector .properties or REST JSON into a pipeline; or, with --from-connect, the connectors running on a Kafka Connect cluster',
    )
    .argument(
      '[files...]',
      'worker and connector .properties files, connector .json files (as POSTed to /connectors)',
    )
    .option(
      '--from-connect <url>',
      "read the connectors of a running Kafka Connect cluster (any worker's REST URL) and write a pipeline that runs them there, secrets as references",
    )
    .option('--connector <name>', 'with --from-connect: import only this connector (repeatable)', collect)
    .option('--out <dir>', 'project folder to write (default: the project folder, -C)')
    .option('--project <name>', 'project name (default: the name of the output folder)')
    .option('--pipeline <name>', 'name of the pipeline file to write under pipelines/', 'imported')
    .option('--force', 'overwrite files that exist')
    .action(
      action(async (files: string[], opts: ImportOpts, command: Command) => {
        const out = opts.out === undefined ? projectDir(command) : resolve(opts.out);
        if (opts.fromConnect !== undefined) {
          if (files.length > 0) {
            throw new PipeError('USAGE', '--from-connect reads the cluster: give it no files', {
              meta: { hint: 'import the files and the cluster in two runs, into two pipelines (--pipeline)' },
            });
          }
          return importFromCluster(opts.fromConnect, opts, out);
        }
        if (opts.connector) throw new PipeError('USAGE', '--connector goes with --from-connect');
        if (files.length === 0) {
          throw new PipeError('USAGE', 'nothing to import', {
            meta: { hint: 'give Kafka Connect .properties or .json files, or --from-connect URL' },
          });
        }
        const inputs = await Promise.all(files.map(async (path) => ({ path, text: await readInput(path) })));
        // Loaded here, not at start-up: it brings a YAML writer that no other command needs.
        const { importConnect } = await import('../../import/import-connect.js');
        const result = importConnect(inputs, {
          project: opts.project ?? projectNameFor(out, 'connect'),
          pipeline: opts.pipeline,
        });

        const writes: [string, string][] = [];
        const projectPath = join(out, PROJECT_FILE);
        if (result.fromWorker || !existsSync(projectPath)) writes.push([projectPath, result.projectFile]);
        if (result.pipelineFile) writes.push([join(out, result.pipelineFile.path), result.pipelineFile.text]);
        const converted = result.offsets && (await convertOffsets(result.offsets, result.connectors));
        if (converted && result.offsets) writes.push([join(out, result.offsets.to), converted.text]);
        await writeAll(out, writes, Boolean(opts.force));
        for (const note of [...result.notes, ...(converted?.notes ?? [])])
          process.stderr.write(`${formatNote(note)}\n`);
        return (await validates(out)) ? EXIT.ok : EXIT.error;
      }),
    );
}

async function writeAll(out: string, writes: [string, string][], force: boolean): Promise<void> {
  const existing = writes.filter(([path]) => existsSync(path)).map(([path]) => path);
  if (existing.length && !force) {
    throw new PipeError('USAGE', `would overwrite ${existing.join(', ')}`, {
      meta: { hint: '--force overwrites; --out writes elsewhere' },
    });
  }
  for (const [path, text] of writes) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
  // The modelines of the written files point at ./schemas: put this pipe's schemas there.
  await writeSchemaFiles(join(out, PROJECT_SCHEMA_DIR));
  process.stdout.write(`wrote ${join(out, PROJECT_SCHEMA_DIR)}/\n`);
}

async function validates(out: string): Promise<boolean> {
  const { diagnostics } = await loadProject(out);
  if (diagnostics.length) process.stderr.write(`${formatDiagnostics(diagnostics)}\n`);
  if (hasErrors(diagnostics)) {
    process.stdout.write('the imported project does not validate yet: see above\n');
    return false;
  }
  process.stdout.write(`the imported project validates; next: pipe -C ${out} plan\n`);
  return true;
}

/**
 * `--from-connect`: into an existing project, the connectors go on its
 * runtime at that URL; otherwise a new pipeline.config.yaml declares one.
 */
async function importFromCluster(url: string, opts: ImportOpts, out: string): Promise<number> {
  const { adoptionChanges } = await import('../../import/from-connect.js');
  const { importCluster, runtimeAt } = await import('../../import/cluster.js');
  const projectPath = join(out, PROJECT_FILE);
  let runtime: ConnectRuntimeSpec | undefined;
  if (existsSync(projectPath)) {
    const { desired, diagnostics } = await loadProject(out);
    if (!desired) {
      process.stderr.write(`${formatDiagnostics(diagnostics)}\n`);
      throw new PipeError('CONFIG_INVALID', `${projectPath} does not load: see above`);
    }
    runtime = runtimeAt(desired.project.runtimes, url);
    if (!runtime) {
      throw new PipeError('USAGE', `${projectPath} declares no Kafka Connect runtime at ${url}`, {
        meta: {
          hint: `add it under runtimes: (type: connect, urls: [${url}]), or import into a new folder with --out`,
        },
      });
    }
  }
  const result = await importCluster({
    url,
    connectors: opts.connector ?? [],
    project: opts.project ?? projectNameFor(out, 'connect'),
    pipeline: opts.pipeline,
    projectDir: out,
    ...(runtime ? { runtime } : {}),
  });
  const writes: [string, string][] = [];
  if (result.projectFile) writes.push([projectPath, result.projectFile]);
  writes.push([join(out, result.pipelineFile.path), result.pipelineFile.text]);
  await writeAll(out, writes, Boolean(opts.force));
  for (const note of result.notes) process.stderr.write(`${formatNote(note)}\n`);
  if (!(await validates(out))) return EXIT.error;

  // What the next apply does to each: taken over as it is, or written (and so restarted).
  const { desired } = await loadProject(out);
  const runtimeSpec = desired?.project.runtimes?.[result.runtime.name];
  for (const c of result.connectors) {
    const spec = desired?.connectors.find((d) => d.name === c.name);
    if (!spec || !runtimeSpec) continue;
    const keys = adoptionChanges(spec, runtimeSpec, out, c.config);
    const offsets =
      c.offsets === undefined
        ? ''
        : `; its offsets (${c.offsets} partition${c.offsets === 1 ? '' : 's'}) stay where the cluster keeps them, and a move to another runtime carries them`;
    process.stdout.write(
      keys.length === 0
        ? `${c.name}: pipe plan adopts it as it is (<=), without a restart${offsets}\n`
        : `${c.name}: adopting it writes ${keys.join(', ')} to the cluster (pipe's config differs from what the cluster holds there), which restarts it${offsets}\n`,
    );
  }
  return EXIT.ok;
}

/**
 * Connect standalone's offset file, read where the worker file names it (a
 * relative path from the folder pipe runs in, as Connect reads it from
 * its own) and converted; none when Connect has not written it yet.
 */
async function convertOffsets(
  offsets: NonNullable<ImportResult['offsets']>,
  connectors: string[],
): Promise<{ text: string; notes: ImportNote[] } | undefined> {
  const from = resolve(offsets.from);
  const where = { file: offsets.file, line: offsets.line };
  let bytes: Buffer;
  try {
    bytes = await readFile(from);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new PipeError(
        'IMPORT_INVALID',
        `cannot read Kafka Connect's offset file ${from}: ${(err as Error).message}`,
        {
          cause: err,
          meta: where,
        },
      );
    process.stdout.write(
      `${from} does not exist: no offsets to carry, the sources start from the beginning\n`,
    );
    return undefined;
  }
  const { convertStandaloneOffsets } = await import('../../import/standalone-offsets.js');
  const { offsetFileText } = await import('../../state/offset-file.js');
  const converted = (() => {
    try {
      return convertStandaloneOffsets(from, bytes, new Set(connectors));
    } catch (err) {
      if (err instanceof PipeError)
        throw new PipeError('IMPORT_INVALID', err.message, { cause: err, meta: { ...where, file: from } });
      throw err;
    }
  })();
  const counts = [...converted.connectors].map(
    ([name, n]) => `${name} (${n} partition${n === 1 ? '' : 's'})`,
  );
  process.stdout.write(
    counts.length === 0
      ? `${from} holds no offsets\n`
      : `converted the offsets of ${counts.join(', ')} from ${from} (left as it was) into ${offsets.to}\n`,
  );
  return { text: offsetFileText(converted.offsets), notes: converted.notes };
}

async function readInput(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new PipeError('IMPORT_INVALID', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function formatNote(note: ImportNote): string {
  return `${note.file}${note.line ? `:${note.line}` : ''}: ${note.level}: ${note.message}`;
}
