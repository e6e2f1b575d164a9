/**
 * The JSON Schemas in schemas/ (the single source of truth for the file
 * formats), read and compiled once per process: a 1,000-file project is
 * validated by the same two compiled functions.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { present } from '../invariant.js';

/** schemas/ of the package: beside src/ when run from source, beside dist/ when built. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export const PROJECT_SCHEMA = 'project.schema.json';
export const PIPELINE_SCHEMA = 'pipeline.schema.json';

export interface SchemaFile {
  /** Relative to schemas/, with forward slashes: the key other schemas reference it by. */
  id: string;
  schema: Record<string, unknown>;
}

export interface CompiledSchemas {
  files: SchemaFile[];
  /** Validators record the pointers of `"sensitive": true` values they pass into the set they are given. */
  project: SensitiveValidator;
  pipeline: SensitiveValidator;
  connectorTypes: { source: string[]; sink: string[] };
  topicConfigKeys: string[];
}

export type SensitiveValidator = (data: unknown, sensitive: Set<string>) => ErrorObject[];

let compiled: CompiledSchemas | undefined;

export function schemaFiles(): SchemaFile[] {
  return compiledSchemas().files;
}

export function compiledSchemas(): CompiledSchemas {
  compiled ??= compile(readSchemaFiles(SCHEMA_DIR));
  return compiled;
}

function readSchemaFiles(dir: string): SchemaFile[] {
  const entries = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.schema.json'))
    .sort();
  return entries.map((file) => ({
    id: relative(dir, join(dir, file)).split('\\').join('/'),
    schema: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>,
  }));
}

function compile(files: SchemaFile[]): CompiledSchemas {
  // ajv keywords run synchronously inside one validate call, so one shared target is safe.
  let target = new Set<string>();
  const referenceOnly = new Set<string>();
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // `oneOf: [{required: [a]}, {required: [b]}]` names properties declared beside it, not inside.
    strictRequired: false,
    allowUnionTypes: true,
    useDefaults: true,
    verbose: true,
  });
  // json-schema-to-typescript's type override: an annotation for ajv.
  ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'sensitive',
    schemaType: 'boolean',
    validate: (marked: boolean, _data: unknown, _schema: unknown, context?: { instancePath: string }) => {
      if (marked && context) target.add(context.instancePath);
      return true;
    },
  });
  // A secret that must not be written in the file (a database password): only a reference may give it.
  ajv.addKeyword({
    keyword: 'referenceOnly',
    schemaType: 'boolean',
    validate: (marked: boolean, _data: unknown, _schema: unknown, context?: { instancePath: string }) => {
      if (marked && context) referenceOnly.add(context.instancePath);
      return true;
    },
  });
  // Files are known by their path, as editors resolve references relative to the file (an `$id` would change that).
  for (const { id, schema } of files) {
    const { $id: _ignored, ...content } = schema;
    ajv.addSchema(content, id);
  }
  const withSensitive =
    (validate: ValidateFunction): SensitiveValidator =>
    (data, sensitive) => {
      const byReference = new Set(sensitive);
      target = sensitive;
      referenceOnly.clear();
      validate(data);
      return [...(validate.errors ?? []), ...writtenSecrets(referenceOnly, byReference)];
    };
  const index = files.find((f) => f.id === 'connectors/index.schema.json')?.schema as IndexSchema | undefined;
  const pipeline = files.find((f) => f.id === PIPELINE_SCHEMA)?.schema as PipelineSchema | undefined;
  return {
    files,
    project: withSensitive(present(ajv.getSchema(PROJECT_SCHEMA), PROJECT_SCHEMA)),
    pipeline: withSensitive(present(ajv.getSchema(PIPELINE_SCHEMA), PIPELINE_SCHEMA)),
    connectorTypes: {
      source: index?.definitions.sourceType.anyOf[0].enum ?? [],
      sink: index?.definitions.sinkType.anyOf[0].enum ?? [],
    },
    topicConfigKeys: Object.keys(pipeline?.definitions.topicConfig.properties ?? {}),
  };
}

function writtenSecrets(pointers: ReadonlySet<string>, byReference: ReadonlySet<string>): ErrorObject[] {
  return [...pointers]
    .filter((pointer) => !byReference.has(pointer))
    .map((instancePath) => ({
      keyword: 'referenceOnly',
      instancePath,
      schemaPath: '#/referenceOnly',
      params: {},
      message: 'is a secret: give it as ${env:NAME} or ${file:path}, not written in the file',
    }));
}

interface IndexSchema {
  definitions: Record<'sourceType' | 'sinkType', { anyOf: [{ enum: string[] }] }>;
}

interface PipelineSchema {
  definitions: { topicConfig: { properties: Record<string, unknown> } };
}
