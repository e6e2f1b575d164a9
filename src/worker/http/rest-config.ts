/**
 * A connector config posted to Connect's REST API (`POST /connectors`, `PUT
 * /connectors/{name}/config`) → pipe's ConnectorSpec, checked as a pipeline
 * file's declaration is: the same schema, secrets rules and defaults, so what
 * the REST API writes is what `pipe apply` could have written. Kafka
 * Connect's own names (`connector.class`, `tasks.max`, converters,
 * transforms, `errors.*`) are mapped by src/import; the connector's settings
 * are the names GET /config answers with, values coerced by its config schema.
 */
import { readReferencedFile } from '../../config/load.js';
import { type ConnectorSpec, EMBEDDED_RUNTIME } from '../../config/model.js';
import { normalizeConnectors } from '../../config/normalize.js';
import { provenanceOf, readPipelineFile } from '../../config/pipeline-file.js';
import { compiledSchemas } from '../../config/schemas.js';
import type { PipelineFile } from '../../config/types.gen.js';
import { dottedPath } from '../../config/yaml-source.js';
import type { Diagnostic } from '../../diagnostics.js';
import { fileStreamKind, importConnector } from '../../import/connector.js';
import { type ImportNote, Settings } from '../../import/settings.js';

export type RestConfigResult = { ok: true; spec: ConnectorSpec } | { ok: false; errors: string[] };

/** Settings of pipe's own connectors that GET /config names the Connect way. */
const CONNECT_NAMES: Record<string, Record<string, string>> = {
  'file.source': { 'batch.size': 'batchSize' },
};

interface PipeType {
  type: string;
  kind: 'source' | 'sink';
}

/** The built-in connector a class names: FileStream's classes, or pipe's own type names (GET /config's). */
function pipeTypeOf(cls: string, config: Record<string, string>): PipeType | undefined {
  const file = fileStreamKind(cls);
  if (file) return { type: 'file', kind: file };
  const types = compiledSchemas().connectorTypes;
  const kinds = (['source', 'sink'] as const).filter((k) => types[k].includes(cls));
  // Connect's own rule where a type has both kinds: a sink is what reads topics.
  const reads = config['topics'] !== undefined || config['topics.regex'] !== undefined;
  const kind = kinds.length === 2 ? (reads ? 'sink' : 'source') : kinds[0];
  return kind === undefined ? undefined : { type: cls, kind };
}

type PropertySchema = { type?: string | string[]; $ref?: string; oneOf?: unknown[] };

function configProperties(t: PipeType): Record<string, PropertySchema> {
  const file = compiledSchemas().files.find((f) => f.id === `connectors/${t.type}.${t.kind}.schema.json`);
  return (file?.schema['properties'] as Record<string, PropertySchema> | undefined) ?? {};
}

/** A Connect config's string back into the type the setting's schema declares; left as it is when it does not read so. */
function coerce(value: string, schema: PropertySchema): unknown {
  const types = [schema.type ?? []].flat();
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  if (types.includes('boolean')) return value === 'true' ? true : value === 'false' ? false : value;
  if (types.includes('array'))
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (types.includes('object') || schema.$ref !== undefined || schema.oneOf !== undefined) {
    if (!value.trimStart().startsWith('{')) return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** Connect's config values are strings; a number or flag posted as JSON is taken as its text, as Connect's parser does. */
function asStrings(config: Record<string, unknown>): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null || typeof value === 'object') return `${key} is not a string`;
    out[key] = String(value);
  }
  return out;
}

function diagnosticText(d: Diagnostic): string {
  const pointer = d.source?.pointer ?? '';
  // The path inside the posted connector, as Connect names a setting: `config.file`, not `sources.x.config.file`.
  const path = dottedPath(pointer).split('.').slice(2).join('.');
  return `${path ? `${path}: ` : ''}${d.summary}${d.suggestion ? ` (${d.suggestion})` : ''}`;
}

export function specFromRestConfig(
  name: string,
  posted: Record<string, unknown>,
  project: { dir: string },
  env: NodeJS.ProcessEnv = process.env,
): RestConfigResult {
  const config = asStrings(posted);
  if (typeof config === 'string') return { ok: false, errors: [config] };
  const cls = config['connector.class'];
  if (cls === undefined || cls.trim() === '') return { ok: false, errors: ['connector.class is missing'] };
  const pipe = pipeTypeOf(cls.trim(), config);
  if (!pipe)
    return {
      ok: false,
      errors: [
        `connector.class ${cls}: the embedded worker runs pipe's built-in connectors only (${builtInNames().join(', ')} and Kafka Connect's FileStreamSource/FileStreamSinkConnector)`,
      ],
    };
  const properties = configProperties(pipe);
  const aliases = CONNECT_NAMES[`${pipe.type}.${pipe.kind}`] ?? {};
  const settings: Record<string, unknown> = {};
  const rest: Array<[string, { value: string; line: number }]> = [];
  for (const [key, value] of Object.entries(config)) {
    const own = aliases[key] ?? key;
    const schema = properties[own];
    if (schema && key !== 'name') settings[own] = coerce(value, schema);
    else rest.push([key, { value, line: 0 }]);
  }
  // The rest are Connect's own names, mapped the way `pipe import` maps them; any left over is refused, not dropped.
  const file = pipe.kind === 'source' ? 'FileStreamSource' : 'FileStreamSink';
  const classEntry = rest.findIndex(([k]) => k === 'connector.class');
  rest[classEntry] = ['connector.class', { value: file, line: 0 }];
  const notes: ImportNote[] = [];
  const imported = importConnector(new Settings('REST', rest), name, notes);
  const errors = notes.filter((n) => n.level === 'warning').map((n) => n.message);
  if (errors.length > 0) return { ok: false, errors };
  const declaration = { ...imported.declaration, connector: pipe.type, config: settings };
  const document: PipelineFile = {
    [`${pipe.kind}s`]: { [name]: declaration },
    ...(imported.predicates ? { predicates: imported.predicates } : {}),
  };
  const diagnostics: Diagnostic[] = [];
  const read = readPipelineFile(
    'REST',
    JSON.stringify(document),
    { env, vars: new Map(), readFile: (path) => readReferencedFile(project.dir, path) },
    diagnostics,
  );
  const problems = diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0 || !read.file) return { ok: false, errors: problems.map(diagnosticText) };
  const [spec] = normalizeConnectors(read.file, {}, project.dir, provenanceOf(read), EMBEDDED_RUNTIME);
  return spec ? { ok: true, spec } : { ok: false, errors: ['the config declares no connector'] };
}

function builtInNames(): string[] {
  const { source, sink } = compiledSchemas().connectorTypes;
  return [...new Set([...source, ...sink])].sort();
}
