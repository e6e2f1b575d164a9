/**
 * A project folder → DesiredState: read pipeline.config.yaml and every
 * pipelines/*.yaml, resolve references, validate, check across files,
 * normalize. Needs no cluster. All problems come back together as
 * diagnostics; nothing is thrown for a user's mistake (loadDesiredState is
 * the throwing form for commands that cannot go on without a valid project).
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PipeError } from '../errors.js';
import { present } from '../invariant.js';
import { rememberSecretsOf } from '../state/secrets.js';
import { readConfigFile } from './config-file.js';
import { crossCheck } from './cross-check.js';
import { type Diagnostic, formatDiagnostics, hasErrors, sortDiagnostics } from './diagnostics.js';
import type { InterpolationContext } from './interpolate.js';
import { type DesiredState, EMBEDDED_RUNTIME } from './model.js';
import { normalizeConnectors, normalizeMoved, normalizeProject, normalizeTopics } from './normalize.js';
import { type PipelineRead, provenanceOf, readPipelineFile } from './pipeline-file.js';
import { PROJECT_FILE, readProjectFile } from './project-file.js';

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
  const readReferenced = (path: string) => readReferencedFile(root, path);
  const diagnostics: Diagnostic[] = [];

  const projectRead = readConfigFile(join(root, PROJECT_FILE), PROJECT_FILE);
  if (!projectRead.ok && !projectRead.missing) return { diagnostics: [projectRead.diagnostic] };
  if (!projectRead.ok) {
    // No file to point into: the message names the folder, not a line of a file that is not there.
    const summary = isFolder(root)
      ? `no ${PROJECT_FILE} in ${root}: not a pipe project (pipe init starts one; pipe import turns Kafka Connect files into one)`
      : `no such folder: ${root}`;
    return { diagnostics: [{ severity: 'error', code: 'CONFIG_NOT_FOUND', summary }] };
  }
  const project = readProjectFile(
    projectRead.text,
    {
      env,
      readFile: readReferenced,
      ...(options.environment === undefined ? {} : { environment: options.environment }),
    },
    diagnostics,
  );

  const files = await pipelineFiles(root, diagnostics);
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
  const runtimes = project.file
    ? {
        declared: new Set(Object.keys(project.file.runtimes ?? {})),
        projectDefault: project.file.runtime ?? EMBEDDED_RUNTIME,
      }
    : undefined;
  for (const item of crossCheck(reads, runtimes)) diagnostics.push(item);

  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted) || !project.file) return { diagnostics: sorted };

  const defaults = project.file.defaults ?? {};
  const desired: DesiredState = {
    project: normalizeProject(project.file, root, options.environment, project.sensitive),
    topics: [],
    connectors: [],
  };
  for (const read of reads) {
    const at = provenanceOf(read);
    const file = present(read.file, `the validated ${read.source.file}`);
    // Not push(...list): each element becomes an argument, and 200,000 topics overflow the stack.
    for (const item of normalizeTopics(file, defaults, at)) desired.topics.push(item);
    const runtime = project.file.runtime ?? EMBEDDED_RUNTIME;
    for (const item of normalizeConnectors(file, defaults, root, at, runtime)) desired.connectors.push(item);
    const moved = normalizeMoved(file, at);
    if (moved.length > 0) desired.moved = [...(desired.moved ?? []), ...moved];
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

/**
 * pipelines/*.yaml and *.yml, in name order so results do not depend on the
 * file system. Whatever bears such a name is listed, folders included, so
 * that reading it says why it is not a pipeline file rather than leaving it
 * out in silence (a plan would then delete what it declares).
 */
async function pipelineFiles(root: string, diagnostics: Diagnostic[]): Promise<string[]> {
  try {
    const entries = await readdir(join(root, PIPELINES_DIR));
    return entries
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => `${PIPELINES_DIR}/${name}`)
      .sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    const why =
      code === 'ENOTDIR'
        ? 'is a file, not a folder: pipeline files go in a folder named pipelines'
        : code === 'ELOOP'
          ? 'is a symbolic link that leads back to itself (a symlink loop)'
          : `cannot be read: ${(err as Error).message}`;
    diagnostics.push(unreadable(PIPELINES_DIR, `${PIPELINES_DIR} ${why}`));
    return [];
  }
}

/**
 * Synchronous: for a thousand small files, an async read's open/stat/read/close
 * round trips cost more than the reading.
 */
function readPipelineText(root: string, file: string, diagnostics: Diagnostic[]): string | undefined {
  const read = readConfigFile(join(root, file), file);
  if (read.ok) return read.text;
  // Listed a moment ago: gone since, or a symbolic link to nothing.
  diagnostics.push(
    read.missing ? unreadable(file, `${file} does not exist (a symbolic link to nothing?)`) : read.diagnostic,
  );
  return undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `${file:path}`: read with the same care as the project's own files; interpolate words the failure. */
export function readReferencedFile(root: string, path: string): string {
  const read = readConfigFile(resolve(root, path), path);
  if (read.ok) return read.text;
  if (read.missing) throw new PipeError('CONFIG_NOT_FOUND', 'no such file');
  throw new PipeError(
    read.diagnostic.code === 'CONFIG_ENCODING' ? 'CONFIG_ENCODING' : 'CONFIG_UNREADABLE',
    read.reason,
  );
}

function unreadable(file: string, message: string): Diagnostic {
  return {
    severity: 'error',
    code: 'CONFIG_UNREADABLE',
    summary: message,
    source: { file, line: 1, column: 1, pointer: '' },
  };
}
