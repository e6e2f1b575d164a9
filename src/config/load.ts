/**
 * A project folder → DesiredState: read pipeline.config.yaml and every
 * pipelines/*.yaml, resolve references, validate, check across files,
 * normalize. Needs no cluster. All problems come back together as
 * diagnostics; nothing is thrown for a user's mistake (loadDesiredState is
 * the throwing form for commands that cannot go on without a valid project).
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PipeError } from '../errors.js';
import { rememberSecretsOf } from '../state/secrets.js';
import { crossCheck } from './cross-check.js';
import { type Diagnostic, formatDiagnostics, hasErrors, sortDiagnostics } from './diagnostics.js';
import type { InterpolationContext } from './interpolate.js';
import type { DesiredState } from './model.js';
import { normalizeConnectors, normalizeProject, normalizeTopics } from './normalize.js';
import { type PipelineRead, readPipelineFile } from './pipeline-file.js';
import { PROJECT_FILE, readProjectFile } from './project-file.js';
import { locate } from './schema-diagnostics.js';

export const PIPELINES_DIR = 'pipelines';

export interface LoadOptions {
  /** Name of the environment in pipeline.config.yaml to merge over the base settings (`-e NAME`). */
  environment?: string;
  /** Variables for `${env:…}`; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

export interface LoadResult {
  /** Set when there are no errors. */
  desired?: DesiredState;
  /** Errors first, then warnings. */
  diagnostics: Diagnostic[];
}

export async function loadProject(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  const env = options.env ?? process.env;
  const readReferenced = (path: string) => readFileSync(resolve(root, path), 'utf8');
  const diagnostics: Diagnostic[] = [];

  const projectText = await readText(join(root, PROJECT_FILE));
  if (projectText === undefined) {
    // No file to point into: the message names the folder, not a line of a file that is not there.
    const summary = isFolder(root)
      ? `no ${PROJECT_FILE} in ${root}: not a pipe project (pipe init starts one; pipe import turns Kafka Connect files into one)`
      : `no such folder: ${root}`;
    return { diagnostics: [{ severity: 'error', code: 'CONFIG_NOT_FOUND', summary }] };
  }
  const project = readProjectFile(
    projectText,
    {
      env,
      readFile: readReferenced,
      ...(options.environment === undefined ? {} : { environment: options.environment }),
    },
    diagnostics,
  );

  const files = await pipelineFiles(root);
  const interpolation: InterpolationContext = {
    env,
    vars: project.source.root === undefined ? 'unknown' : project.vars,
    readFile: readReferenced,
  };
  const reads: PipelineRead[] = [];
  for (const file of files) {
    const text = readPipelineText(root, file, diagnostics);
    if (text !== undefined) reads.push(readPipelineFile(file, text, interpolation, diagnostics));
  }
  diagnostics.push(...crossCheck(reads));

  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted) || !project.file) return { diagnostics: sorted };

  const defaults = project.file.defaults ?? {};
  const desired: DesiredState = {
    project: normalizeProject(project.file, root, options.environment, project.sensitive),
    topics: [],
    connectors: [],
  };
  for (const read of reads) {
    const at = located(read);
    desired.topics.push(...normalizeTopics(read.file!, defaults, at));
    desired.connectors.push(...normalizeConnectors(read.file!, defaults, root, at));
  }
  // Whatever this process prints from now on hides these values (src/redact.ts).
  for (const c of desired.connectors) rememberSecretsOf(c, { env, readFile: readReferenced });
  return { desired, diagnostics: sorted };
}

/** loadProject for commands that need a valid project: errors become one PipeError('CONFIG_INVALID'). */
export async function loadDesiredState(
  dir: string,
  options: LoadOptions = {},
): Promise<{ desired: DesiredState; warnings: Diagnostic[] }> {
  const { desired, diagnostics } = await loadProject(dir, options);
  if (!desired) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new PipeError(
      'CONFIG_INVALID',
      `the project has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${formatDiagnostics(errors)}`,
      { meta: { diagnostics, hint: 'pipe validate lists every problem' } },
    );
  }
  return { desired, warnings: diagnostics };
}

/** pipelines/*.yaml and *.yml, in name order so results do not depend on the file system. */
async function pipelineFiles(root: string): Promise<string[]> {
  try {
    const entries = await readdir(join(root, PIPELINES_DIR), { withFileTypes: true });
    return entries
      .filter((e) => !e.isDirectory() && /\.ya?ml$/.test(e.name))
      .map((e) => `${PIPELINES_DIR}/${e.name}`)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Synchronous: for a thousand small files, an async read's open/stat/read/close
 * round trips cost more than the reading.
 */
function readPipelineText(root: string, file: string, diagnostics: Diagnostic[]): string | undefined {
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch (err) {
    diagnostics.push({
      severity: 'error',
      code: 'CONFIG_NOT_FOUND',
      summary: `cannot read the file: ${(err as Error).message}`,
      source: { file, line: 1, column: 1, pointer: '' },
    });
    return undefined;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function located(read: PipelineRead) {
  return {
    originOf: (pointer: string) => ({ file: read.source.file, ...locate(read, pointer, 'key') }),
    sensitive: read.sensitive,
    bigIntegers: read.located.bigIntegers,
    sealed: read.located.sealed,
  };
}
