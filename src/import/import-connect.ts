/**
 * Kafka Connect files → the files of a pipe project. Pure: the caller reads
 * the inputs and decides where (and whether) to write the outputs.
 *
 * A worker .properties becomes pipeline.config.yaml; connector .properties
 * and REST JSON become one pipeline file, with the topics they use declared
 * (Connect leaves them to broker auto-creation, pipe declares what it uses).
 */
import { basename, extname } from 'node:path';
import { Document, isPair, isScalar, visit } from 'yaml';
import type { PipelineFile, ProjectFile } from '../config/types.gen.js';
import { PipeError } from '../errors.js';
import { type ImportedConnector, importConnector } from './connector.js';
import { parseProperties } from './properties.js';
import { type ImportNote, type Setting, Settings } from './settings.js';
import {
  BROKERS_VARIABLE,
  type ImportedWorker,
  importWorker,
  PROJECT_OFFSET_FILE,
} from './worker-properties.js';

export interface ImportInput {
  /** As the user named it; used in messages. */
  path: string;
  text: string;
}

export interface ImportOptions {
  project: string;
  pipeline: string;
}

export interface ImportResult {
  /** pipeline.config.yaml: from the worker file, or a minimal one when none was given. */
  projectFile: string;
  /** Whether projectFile came from a worker file (else it is only a starting point). */
  fromWorker: boolean;
  /** pipelines/<pipeline>.yaml, when any connector was given. */
  pipelineFile?: { path: string; text: string };
  /**
   * Connect standalone's offset file the worker file names, and the
   * project's offset file its offsets go to (convertStandaloneOffsets).
   */
  offsets?: { from: string; to: string; file: string; line: number };
  /** The names of the connectors imported. */
  connectors: string[];
  notes: ImportNote[];
}

export function importConnect(inputs: readonly ImportInput[], options: ImportOptions): ImportResult {
  const notes: ImportNote[] = [];
  let worker: ImportedWorker | undefined;
  const connectors: ImportedConnector[] = [];
  for (const input of inputs) {
    for (const settings of settingsOf(input)) {
      if (settings.has('connector.class')) {
        connectors.push(importConnector(settings, basename(input.path, extname(input.path)), notes));
      } else if (worker) {
        throw new PipeError('IMPORT_INVALID', `${input.path}: a second worker file; give one at most`);
      } else {
        worker = importWorker(settings, notes);
      }
    }
  }
  const result: ImportResult = {
    projectFile: projectYaml(options.project, worker),
    fromWorker: worker !== undefined,
    connectors: connectors.map((c) => c.name),
    notes,
  };
  if (worker?.standaloneOffsets) {
    const { path, file, line } = worker.standaloneOffsets;
    result.offsets = { from: path, to: PROJECT_OFFSET_FILE, file, line };
  }
  if (connectors.length) {
    result.pipelineFile = {
      path: `pipelines/${options.pipeline}.yaml`,
      text: pipelineYaml(options.pipeline, connectors, notes),
    };
  }
  return result;
}

function settingsOf(input: ImportInput): Settings[] {
  if (extname(input.path).toLowerCase() !== '.json') {
    return [new Settings(input.path, parseProperties(input.text))];
  }
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (err) {
    throw new PipeError('IMPORT_INVALID', `${input.path}: not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  // `POST /connectors` takes {name, config}; `PUT /connectors/{name}/config` and `GET …/config` use the bare config;
  // `GET /connectors?expand=info` answers {name: {info: {name, config}}} for a whole cluster.
  const items = Array.isArray(json)
    ? json
    : isExpandedListing(json)
      ? Object.values(json).map((c) => c.info)
      : [json];
  return items.map((item) => {
    const record = (item ?? {}) as { name?: unknown; config?: unknown };
    const config = (
      typeof record.config === 'object' && record.config !== null ? record.config : record
    ) as Record<string, unknown>;
    if (typeof config['connector.class'] !== 'string') {
      throw new PipeError(
        'IMPORT_INVALID',
        `${input.path}: no "connector.class": not a Kafka Connect connector`,
      );
    }
    const entries: [string, Setting][] = Object.entries(config).map(([k, v]) => [
      k,
      { value: String(v), line: 0 },
    ]);
    if (typeof record.name === 'string') entries.push(['name', { value: record.name, line: 0 }]);
    return new Settings(input.path, entries);
  });
}

function isExpandedListing(
  json: unknown,
): json is Record<string, { info: { name: string; config: object } }> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const values = Object.values(json);
  return (
    values.length > 0 && values.every((v) => typeof v?.info?.config === 'object' && v.info.config !== null)
  );
}

function projectYaml(project: string, worker: ImportedWorker | undefined): string {
  const file: ProjectFile = {
    version: 1,
    project,
    kafka: worker?.kafka ?? { brokers: `\${env:${BROKERS_VARIABLE}:-localhost:9092}` },
  };
  if (worker && Object.keys(worker.worker).length) file.worker = worker.worker;
  if (worker && Object.keys(worker.defaults).length) file.defaults = worker.defaults;
  return renderYaml(file, './schemas/project.schema.json');
}

export function pipelineYaml(
  name: string,
  connectors: ImportedConnector[],
  notes: ImportNote[],
  options: { declareTopics: boolean } = { declareTopics: true },
): string {
  const file: PipelineFile = { version: 1, pipeline: name };
  const used = new Set<string>();
  for (const c of options.declareTopics ? connectors : []) {
    if (c.kind === 'source' && c.declaration.topic) used.add(c.declaration.topic);
    if (c.kind === 'sink') for (const t of c.declaration.topics ?? []) used.add(t);
  }
  if (used.size) {
    file.topics = {};
    for (const topic of used) file.topics[topic] = { partitions: 1, replicationFactor: 1 };
    notes.push({
      level: 'note',
      file: `pipelines/${name}.yaml`,
      line: 0,
      message: `declared topic${used.size === 1 ? '' : 's'} ${[...used].join(', ')} with 1 partition and replication factor 1, as a broker's auto-creation would; adjust before apply`,
    });
  }
  const sources = connectors.filter((c) => c.kind === 'source');
  const sinks = connectors.filter((c) => c.kind === 'sink');
  const predicates: NonNullable<PipelineFile['predicates']> = {};
  for (const c of connectors) {
    for (const [p, declaration] of Object.entries(c.predicates ?? {})) {
      const seen = predicates[p];
      if (seen && JSON.stringify(seen) !== JSON.stringify(declaration))
        notes.push({
          level: 'warning',
          file: `pipelines/${name}.yaml`,
          line: 0,
          message: `predicate ${p} of ${c.name} differs from another connector's of that name; the first is kept`,
        });
      else predicates[p] = declaration;
    }
  }
  if (Object.keys(predicates).length) file.predicates = predicates;
  if (sources.length) file.sources = Object.fromEntries(sources.map((c) => [c.name, c.declaration]));
  if (sinks.length) file.sinks = Object.fromEntries(sinks.map((c) => [c.name, c.declaration]));
  return renderYaml(file, '../schemas/pipeline.schema.json');
}

const INLINE = new Set(['config', 'key', 'value', 'header', 'errors']);

/** YAML as a person would write it: small settings maps and lists of plain values on one line. */
export function renderYaml(value: unknown, schema: string): string {
  const doc = new Document(value);
  visit(doc, {
    Map(_, node, path) {
      const parent = path.at(-1);
      const key = isPair(parent) && isScalar(parent.key) ? String(parent.key.value) : '';
      if (INLINE.has(key) && node.items.length <= 4 && node.items.every((p) => isScalar(p.value)))
        node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return `# yaml-language-server: $schema=${schema}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
