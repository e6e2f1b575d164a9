/**
 * One pipelines/*.yaml file: read with positions, references resolved,
 * checked against schemas/pipeline.schema.json (connector configs by the
 * schema of their type, which also fills in their defaults).
 */
import type { Diagnostic } from './diagnostics.js';
import type { InterpolationContext } from './interpolate.js';
import { validateWithReferenceTypes } from './reference-types.js';
import { locate, schemaDiagnostics } from './schema-diagnostics.js';
import { compiledSchemas } from './schemas.js';
import { didYouMean } from './suggest.js';
import type { PipelineFile } from './types.gen.js';
import { dottedPath, type Located, parseYaml, pointerOf, readNode, type YamlSource } from './yaml-source.js';

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
  diagnostics.push(...parsed.diagnostics);
  const { source } = parsed;
  const located = readNode(source, source.root, { interpolation }, diagnostics);
  const result: PipelineRead = { source, located, sensitive: new Set(located.sensitive) };
  if (parsed.diagnostics.length) return result;
  // An empty file is a pipeline with nothing in it yet.
  const document = located.value ?? {};
  const schemas = compiledSchemas();
  const errors = validateWithReferenceTypes(schemas.pipeline, document, located.references, result.sensitive);
  const found = schemaDiagnostics(errors, {
    source,
    located,
    connectorTypes: schemas.connectorTypes,
  });
  diagnostics.push(...found);
  if (found.length === 0) {
    result.file = document as PipelineFile;
    diagnostics.push(...unknownTopicConfigs(result, result.file, schemas.topicConfigKeys));
  }
  return result;
}

/** Kafka has more topic configs than pipe knows, and brokers add their own: a doubt, not an error. */
function unknownTopicConfigs(read: PipelineRead, file: PipelineFile, known: string[]): Diagnostic[] {
  const knownSet = new Set(known);
  const out: Diagnostic[] = [];
  for (const [topic, declaration] of Object.entries(file.topics ?? {})) {
    for (const key of Object.keys(declaration.config ?? {})) {
      if (knownSet.has(key)) continue;
      const pointer = pointerOf(['topics', topic, 'config', key]);
      const hint = didYouMean(key, known);
      out.push({
        severity: 'warning',
        code: 'UNKNOWN_TOPIC_CONFIG',
        message: `"${key}" is not a topic config pipe knows; it is passed to Kafka unchecked`,
        file: read.source.file,
        ...locate(read, pointer, 'key'),
        path: dottedPath(pointer),
        ...(hint ? { suggestion: hint } : {}),
      });
    }
  }
  return out;
}
