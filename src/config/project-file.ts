/**
 * pipeline.config.yaml: read with positions, the chosen environment merged
 * over the base settings, references resolved, checked against
 * schemas/project.schema.json. Produces the variables the pipeline files use.
 */
import type { Diagnostic } from './diagnostics.js';
import type { InterpolationContext, Variable } from './interpolate.js';
import { EMBEDDED_RUNTIME } from './model.js';
import { validateWithReferenceTypes } from './reference-types.js';
import { locate, schemaDiagnostics } from './schema-diagnostics.js';
import { compiledSchemas } from './schemas.js';
import { didYouMean } from './suggest.js';
import type { ProjectFile } from './types.gen.js';
import {
  type Located,
  nodeAt,
  parseYaml,
  position,
  readNode,
  type YamlNode,
  type YamlSource,
} from './yaml-source.js';

export const PROJECT_FILE = 'pipeline.config.yaml';

export interface ProjectRead {
  source: YamlSource;
  located: Located;
  /** Set when the file passed its schema. */
  file?: ProjectFile;
  vars: Map<string, Variable>;
  /** Pointers of secret values: from references or marked `sensitive` by the schema. */
  sensitive: Set<string>;
}

export interface ProjectReadOptions {
  environment?: string;
  env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
}

export function readProjectFile(
  text: string,
  options: ProjectReadOptions,
  diagnostics: Diagnostic[],
): ProjectRead {
  const parsed = parseYaml(PROJECT_FILE, text);
  for (const item of parsed.diagnostics) diagnostics.push(item);
  const { source } = parsed;
  const root = source.root;
  const envNode = selectEnvironment(source, options.environment, diagnostics);
  const plain = { env: options.env, readFile: options.readFile };

  const vars = new Map<string, Variable>();
  for (const node of [nodeAt(root, ['vars']), nodeAt(envNode, ['vars'])]) {
    const read = readNode(source, node, { interpolation: plain, at: '/vars' }, diagnostics);
    if (!read.value || typeof read.value !== 'object') continue;
    for (const [name, value] of Object.entries(read.value)) {
      const sealed = read.sealed.get(`/vars/${name}`);
      vars.set(name, {
        value: value as Variable['value'],
        sensitive: read.sensitive.has(`/vars/${name}`),
        ...(sealed === undefined ? {} : { sealed }),
      });
    }
  }

  const interpolation: InterpolationContext = { ...plain, vars };
  const base = readNode(
    source,
    root,
    { interpolation, skip: new Set(['environments', 'vars']) },
    diagnostics,
  );
  const overlay = readNode(source, envNode, { interpolation, at: '', skip: new Set(['vars']) }, diagnostics);
  // Every environment is checked for its shape, but only the chosen one is resolved.
  const environments = readNode(source, nodeAt(root, ['environments']), { at: '/environments' }, diagnostics);

  const located: Located = {
    value: mergeOverlay(base.value, overlay.value),
    layers: [...base.layers, ...overlay.layers],
    sensitive: new Set([...base.sensitive, ...overlay.sensitive]),
    bigIntegers: new Map([...base.bigIntegers, ...overlay.bigIntegers]),
    sealed: new Map([...base.sealed, ...overlay.sealed]),
    references: new Set([...base.references, ...overlay.references]),
  };
  for (const [name, variable] of vars) if (variable.sensitive) located.sensitive.add(`/vars/${name}`);
  const result: ProjectRead = { source, located, vars, sensitive: new Set(located.sensitive) };
  if (source.root === undefined) {
    if (parsed.diagnostics.length === 0) diagnostics.push(emptyFile());
    return result;
  }

  const document = isPlainObject(located.value) ? { ...located.value } : located.value;
  if (isPlainObject(document)) {
    if (vars.size) document['vars'] = Object.fromEntries([...vars].map(([k, v]) => [k, v.value]));
    if (environments.value !== undefined) document['environments'] = environments.value;
  }
  // The chosen environment is checked merged into the base, where its errors are reported.
  const chosen = (pointer: string) =>
    options.environment !== undefined && `${pointer}/`.startsWith(`/environments/${options.environment}/`);
  const errors = validateWithReferenceTypes(
    compiledSchemas().project,
    document,
    located.references,
    result.sensitive,
  ).filter(
    (e) => !(e.instancePath.startsWith('/environments/') && (hasReference(e.data) || chosen(e.instancePath))),
  );
  const found = schemaDiagnostics(errors, {
    source,
    located,
    connectorTypes: compiledSchemas().connectorTypes,
  });
  for (const item of found) diagnostics.push(item);
  if (found.length === 0 && isPlainObject(document)) {
    delete document['environments'];
    const file = document as unknown as ProjectFile;
    const wrong = runtimeDiagnostics(file, { source, located });
    diagnostics.push(...wrong);
    if (wrong.length === 0) result.file = file;
  }
  return result;
}

/** `runtime:` names a declared runtime, and no runtime takes the built-in name. */
function runtimeDiagnostics(file: ProjectFile, at: { source: YamlSource; located: Located }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = Object.keys(file.runtimes ?? {});
  if (declared.includes(EMBEDDED_RUNTIME)) {
    out.push({
      severity: 'error',
      code: 'CONFIG_REFERENCE',
      summary: `"${EMBEDDED_RUNTIME}" is the built-in runtime (pipe's own worker) and cannot be declared`,
      source: {
        file: PROJECT_FILE,
        ...locate(at, `/runtimes/${EMBEDDED_RUNTIME}`, 'key'),
        pointer: `/runtimes/${EMBEDDED_RUNTIME}`,
      },
      suggestion: 'give the Kafka Connect runtime another name',
    });
  }
  const chosen = file.runtime;
  if (chosen !== undefined && chosen !== EMBEDDED_RUNTIME && !declared.includes(chosen)) {
    const known = [EMBEDDED_RUNTIME, ...declared];
    const hint = didYouMean(chosen, known);
    out.push({
      severity: 'error',
      code: 'CONFIG_REFERENCE',
      summary: `no runtime "${chosen}": runtimes declares ${known.join(', ')}`,
      source: { file: PROJECT_FILE, ...locate(at, '/runtime', 'value'), pointer: '/runtime' },
      ...(hint ? { suggestion: hint } : {}),
    });
  }
  return out;
}

function selectEnvironment(
  source: YamlSource,
  name: string | undefined,
  diagnostics: Diagnostic[],
): YamlNode | undefined {
  if (name === undefined) return undefined;
  const environments = nodeAt(source.root, ['environments']);
  const chosen = nodeAt(environments, [name]);
  if (chosen !== undefined) return chosen;
  const defined = environments?.kind === 'map' ? environments.entries.map((e) => e.key) : [];
  const hint = didYouMean(name, defined);
  diagnostics.push({
    severity: 'error',
    code: 'CONFIG_SCHEMA',
    summary: `no environment "${name}" in environments${defined.length ? ` (defined: ${defined.join(', ')})` : ''}`,
    source: {
      file: PROJECT_FILE,
      ...(environments ? position(source, environments.start) : { line: 1, column: 1 }),
      pointer: '/environments',
    },
    ...(hint ? { suggestion: hint } : {}),
  });
  return undefined;
}

/** Maps merge key by key; lists and values replace. */
function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = mergeOverlay(base[key], value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasReference(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

function emptyFile(): Diagnostic {
  return {
    severity: 'error',
    code: 'CONFIG_SCHEMA',
    summary: 'is empty: it needs at least "project" and "kafka"',
    source: { file: PROJECT_FILE, line: 1, column: 1, pointer: '' },
  };
}
