/**
 * One pipelines/*.yaml file: read with positions, references resolved,
 * checked against schemas/pipeline.schema.json (connector configs by the
 * schema of their type, which also fills in their defaults).
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from './diagnostics.js';
import type { InterpolationContext } from './interpolate.js';
import type { Provenance } from './normalize.js';
import { validateWithReferenceTypes } from './reference-types.js';
import { locate, schemaDiagnostics } from './schema-diagnostics.js';
import { compiledSchemas } from './schemas.js';
import { didYouMean } from './suggest.js';
import { transformDiagnostics } from './transform-checks.js';
import type { PipelineFile } from './types.gen.js';
import { type Located, parseYaml, pointerOf, readNode, type YamlSource } from './yaml-source.js';

export interface PipelineRead {
  source: YamlSource;
  located: Located;
  /** Set when the file passed its schema. */
  file?: PipelineFile;
  /** Pointers of secret values: from references or marked `sensitive` by the schema. */
  sensitive: Set<string>;
}

export function readPipelineFile(
  file: string,
  text: string,
  interpolation: InterpolationContext,
  diagnostics: Diagnostic[],
): PipelineRead {
  const parsed = parseYaml(file, text);
  for (const item of parsed.diagnostics) diagnostics.push(item);
  const { source } = parsed;
  const located = readNode(source, source.root, { interpolation }, diagnostics);
  const result: PipelineRead = { source, located, sensitive: new Set(located.sensitive) };
  if (parsed.diagnostics.length) return result;
  // An empty file is a pipeline with nothing in it yet.
  const document = located.value ?? {};
  const schemas = compiledSchemas();
  const unresolved = (e: ErrorObject) =>
    interpolation.vars === 'unknown' &&
    [e.data, e.propertyName].some((v) => typeof v === 'string' && v.includes('${var:'));
  // Values left unresolved because the project file is broken would only echo that error.
  const errors = validateWithReferenceTypes(
    schemas.pipeline,
    document,
    located.references,
    result.sensitive,
  ).filter((e) => !unresolved(e));
  const found = schemaDiagnostics(errors, {
    source,
    located,
    connectorTypes: schemas.connectorTypes,
  });
  for (const item of found) diagnostics.push(item);
  if (found.length === 0) {
    result.file = document as PipelineFile;
    for (const item of transformDiagnostics(result, result.file)) diagnostics.push(item);
  }
  for (const item of unknownTopicConfigs(result, document, schemas.topicConfigKeys)) diagnostics.push(item);
  return result;
}

/** Where a read file's values are and which are secrets, as normalizing needs them. */
export function provenanceOf(read: PipelineRead): Provenance {
  return {
    originOf: (pointer: string) => ({ file: read.source.file, ...locate(read, pointer, 'key') }),
    sensitive: read.sensitive,
    bigIntegers: read.located.bigIntegers,
    sealed: read.located.sealed,
  };
}

/** Kafka has more topic configs than pipe knows, and brokers add their own: a doubt, not an error. */
function unknownTopicConfigs(read: PipelineRead, document: unknown, known: string[]): Diagnostic[] {
  const knownSet = new Set(known);
  const out: Diagnostic[] = [];
  // Read defensively: the warning is worth giving even when the file has errors elsewhere.
  const topics = objectAt(document, 'topics');
  for (const [topic, declaration] of Object.entries(topics)) {
    for (const key of Object.keys(objectAt(declaration, 'config'))) {
      if (knownSet.has(key)) continue;
      const pointer = pointerOf(['topics', topic, 'config', key]);
      const hint = didYouMean(key, known);
      out.push({
        severity: 'warning',
        code: 'UNKNOWN_TOPIC_CONFIG',
        summary: `"${key}" is not a topic config pipe knows; it is passed to Kafka unchecked`,
        source: { file: read.source.file, ...locate(read, pointer, 'key'), pointer },
        ...(hint ? { suggestion: hint } : {}),
      });
    }
  }
  return out;
}

function objectAt(value: unknown, key: string): Record<string, unknown> {
  const inner =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : {};
}
