import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostics, hasErrors } from '../../config/diagnostics.js';
import { loadProject } from '../../config/load.js';
import { PROJECT_FILE } from '../../config/project-file.js';
import { PipeError } from '../../errors.js';
import type { ImportNote } from '../../import/settings.js';
import { projectNameFor } from '../../init/init-project.js';
import { PROJECT_SCHEMA_DIR, writeSchemaFiles } from '../../init/schema-files.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';

interface ImportOpts {
  out?: string;
  project?: string;
  pipeline: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'turn Kafka Connect files into a pipe project: a worker .properties into pipeline.config.yaml, connector .properties or REST JSON into a pipeline',
    )
    .argument(
      '<files...>',
      'worker and connector .properties files, connector .json files (as POSTed to /connectors)',
    )
    .option('--out <dir>', 'project folder to write (default: the project folder, -C)')
    .option('--project <name>', 'project name (default: the name of the output folder)')
    .option('--pipeline <name>', 'name of the pipeline file to write under pipelines/', 'imported')
    .option('--force', 'overwrite files that exist')
    .action(
      action(async (files: string[], opts: ImportOpts, command: Command) => {
        const out = opts.out === undefined ? projectDir(command) : resolve(opts.out);
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
        const existing = writes.filter(([path]) => existsSync(path)).map(([path]) => path);
        if (existing.length && !opts.force) {
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
        for (const note of result.notes) process.stderr.write(`${formatNote(note)}\n`);

        const { diagnostics } = await loadProject(out);
        if (diagnostics.length) process.stderr.write(`${formatDiagnostics(diagnostics)}\n`);
        if (hasErrors(diagnostics)) {
          process.stdout.write('the imported project does not validate yet: see above\n');
          return EXIT.error;
        }
        process.stdout.write(`the imported project validates; next: pipe -C ${out} plan\n`);
        return EXIT.ok;
      }),
    );
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
