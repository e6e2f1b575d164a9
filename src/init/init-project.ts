/**
 * `pipe init`: a new project in a folder, from one of the examples: the
 * project file, one pipeline, the schemas their modelines point to, the data
 * files the example reads and a .gitignore. Refuses to overwrite a project.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PIPELINES_DIR } from '../config/load.js';
import { PROJECT_FILE } from '../config/project-file.js';
import { PIPELINE_SCHEMA, PROJECT_SCHEMA } from '../config/schemas.js';
import { PipeError } from '../errors.js';
import { EXAMPLE, type ExampleName, projectFile } from './examples.js';
import { PROJECT_SCHEMA_DIR, schemaModeline, writeSchemaFiles } from './schema-files.js';

/** What a project folder should keep out of git: the worker's local offsets file, dependencies. */
const GITIGNORE = ['.pipe/', 'node_modules/'];

export interface InitOptions {
  example: ExampleName;
  /** Default: the folder's name, made a valid project name. */
  project?: string;
  /** Overwrite an existing project file and pipeline. */
  force?: boolean;
}

export interface InitResult {
  /** Paths relative to the project folder, in the order written; schemas/ counts once. */
  written: string[];
}

/** A project name from a folder name: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export function projectNameFor(dir: string, fallback = 'pipeline'): string {
  const name = basename(dir)
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return name || fallback;
}

export async function initProject(dir: string, options: InitOptions): Promise<InitResult> {
  const example = EXAMPLE[options.example];
  const pipelinePath = join(PIPELINES_DIR, `${options.example}.yaml`);
  const owned = [PROJECT_FILE, pipelinePath].filter((path) => existsSync(join(dir, path)));
  if (owned.length > 0 && !options.force) {
    throw new PipeError(
      'USAGE',
      `${dir} already holds ${owned.join(' and ')}: pipe init writes a new project`,
      {
        meta: { remedies: ['overwrite_project'] },
      },
    );
  }
  const files: Array<[string, string]> = [
    [
      PROJECT_FILE,
      `${schemaModeline(PROJECT_SCHEMA, 0)}\n${projectFile(options.project ?? projectNameFor(dir))}`,
    ],
    [pipelinePath, `${schemaModeline(PIPELINE_SCHEMA, 1)}\n${example.pipeline}`],
    // Data files are the user's once written: never overwritten, even with --force.
    ...Object.entries(example.data).filter(([path]) => !existsSync(join(dir, path))),
  ];
  const written: string[] = [];
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
    written.push(path);
  }
  await writeSchemaFiles(join(dir, PROJECT_SCHEMA_DIR));
  written.push(`${PROJECT_SCHEMA_DIR}/`);
  if (await extendGitignore(join(dir, '.gitignore'))) written.push('.gitignore');
  return { written };
}

/** Adds the lines a pipe project needs to .gitignore; true when the file changed. */
async function extendGitignore(path: string): Promise<boolean> {
  const existing = existsSync(path) ? await readFile(path, 'utf8') : undefined;
  const have = new Set((existing ?? '').split('\n').map((line) => line.trim()));
  const missing = GITIGNORE.filter((line) => !have.has(line));
  if (missing.length === 0) return false;
  if (existing === undefined) await writeFile(path, `${missing.join('\n')}\n`);
  else
    await appendFile(
      path,
      `${existing.endsWith('\n') || existing === '' ? '' : '\n'}${missing.join('\n')}\n`,
    );
  return true;
}
