/**
 * A Kafka Connect connector (a .properties file or the REST API's JSON) →
 * a source or sink declaration. FileStreamSource/Sink become pipe's `file`
 * connector; any other class stays `connect:<class>` with its config as it was.
 */
import type {
  ConverterSettings,
  PredicateDeclaration,
  SinkDeclaration,
  SourceDeclaration,
} from '../config/types.gen.js';
import { present } from '../invariant.js';
import { CONVERTER_ROLES, importConverter } from './converter-settings.js';
import type { ImportNote, Settings } from './settings.js';
import { importTransforms } from './transforms.js';

/** Connect's plugin aliases: the simple class name, or that name without "Connector". */
const FILE_CLASSES: Record<string, 'source' | 'sink'> = {
  FileStreamSourceConnector: 'source',
  FileStreamSource: 'source',
  FileStreamSinkConnector: 'sink',
  FileStreamSink: 'sink',
};
const FILE_PACKAGE = 'org.apache.kafka.connect.file.';

/** The kind of Kafka Connect's FileStream connector a class names (in full or by one of Connect's aliases), if it names one. */
export function fileStreamKind(cls: string): 'source' | 'sink' | undefined {
  return FILE_CLASSES[cls.startsWith(FILE_PACKAGE) ? cls.slice(FILE_PACKAGE.length) : cls];
}

export type ImportedConnector = (
  | { kind: 'source'; name: string; declaration: SourceDeclaration }
  | { kind: 'sink'; name: string; declaration: SinkDeclaration }
) & { predicates?: Record<string, PredicateDeclaration> };

/** The keys pipe's `file` connector models; a FileStream connector with others keeps its class to keep them. */
const FILE_KEYS =
  /^(name|connector\.class|tasks\.max|topic|topics|topics\.regex|file|batch\.size|(key|value|header)\.converter(\..+)?|errors\.tolerance|errors\.deadletterqueue\.topic\.name|(transforms|predicates)(\..+)?)$/;

export interface ImportConnectorOptions {
  /**
   * Keep a FileStream connector as `connect:<class>` when it has settings
   * pipe's `file` connector would drop, rather than dropping them (a
   * connector imported from a running cluster must stay as it is).
   */
  keepUnknownSettings?: boolean;
}

export function importConnector(
  settings: Settings,
  fallbackName: string,
  notes: ImportNote[],
  options: ImportConnectorOptions = {},
): ImportedConnector {
  const extra = settings.keys().some((k) => !FILE_KEYS.test(k));
  const name = settings.take('name')?.value ?? fallbackName;
  const cls = present(settings.take('connector.class'), 'connector.class').value.trim();
  const fileKind = options.keepUnknownSettings && extra ? undefined : fileStreamKind(cls);
  // Connect's own rule: a sink is what reads topics.
  const kind = fileKind ?? (settings.has('topics') || settings.has('topics.regex') ? 'sink' : 'source');

  const head: Partial<SourceDeclaration> = {};
  const tasks = settings.take('tasks.max');
  if (tasks) {
    const n = Number(tasks.value);
    if (Number.isInteger(n) && n >= 1) head.tasks = n;
    else
      notes.push(
        settings.note('warning', tasks.line, `tasks.max=${tasks.value} is not a positive integer; ignored`),
      );
  }
  const common: Partial<SourceDeclaration & SinkDeclaration> = {};
  for (const role of CONVERTER_ROLES) {
    const converter: ConverterSettings | undefined = importConverter(settings, role, notes);
    if (converter) common[role] = converter;
  }
  importErrors(settings, common, kind);
  // A connector pipe runs gets its transforms as the YAML's list; a connect:<class> one keeps them in its config.
  const imported = fileKind ? importTransforms(settings, notes) : undefined;
  if (imported?.transforms.length) common.transforms = imported.transforms;
  const predicates =
    imported && Object.keys(imported.predicates).length ? { predicates: imported.predicates } : {};

  const topics = settings.take('topics');
  const topicsRegex = settings.take('topics.regex');
  const sinkTopics = {
    ...(topics ? { topics: splitList(topics.value) as [string, ...string[]] } : {}),
    ...(topicsRegex ? { topicsRegex: topicsRegex.value } : {}),
  };

  if (fileKind) {
    const config: Record<string, unknown> = {};
    const file = settings.take('file');
    if (file) config['file'] = file.value;
    const batch = settings.take('batch.size');
    if (batch && fileKind === 'source') config['batchSize'] = Number(batch.value);
    const topic = settings.take('topic');
    for (const [key, { line }] of settings.rest()) {
      settings.take(key);
      notes.push(settings.note('warning', line, `${key} is not a setting of pipe's file connector; ignored`));
    }
    if (fileKind === 'source') {
      return {
        kind,
        name,
        ...predicates,
        declaration: {
          connector: 'file',
          ...head,
          ...(topic ? { topic: topic.value } : {}),
          config,
          ...common,
        } as SourceDeclaration,
      };
    }
    return {
      kind: 'sink',
      name,
      ...predicates,
      declaration: { connector: 'file', ...head, ...sinkTopics, config, ...common } as SinkDeclaration,
    };
  }

  notes.push(
    settings.note(
      'note',
      0,
      `${name}: ${cls} is not a built-in pipe connector; kept as connect:${cls} with its config as it was, to run on a Kafka Connect cluster`,
    ),
  );
  const config: Record<string, string> = {};
  for (const [key, { value, line }] of settings.rest()) {
    config[key] = value;
    if (/password|secret|token|credential/i.test(key) && !/\$\{(env|file):/.test(value)) {
      notes.push(
        settings.note(
          'warning',
          line,
          `${key} is a secret written in clear; move it to \${env:…} or \${file:…}`,
        ),
      );
    }
  }
  const declaration = {
    connector: `connect:${cls}`,
    ...head,
    ...(kind === 'sink' ? sinkTopics : {}),
    config,
    ...common,
  };
  return kind === 'sink'
    ? { kind, name, declaration: declaration as SinkDeclaration }
    : { kind, name, declaration: declaration as SourceDeclaration };
}

/** Connect's `errors.*` settings that pipe models; the rest stay in a connect: connector's config. */
function importErrors(settings: Settings, into: Partial<SourceDeclaration>, kind: 'source' | 'sink'): void {
  const tolerance = settings.take('errors.tolerance');
  const dlq = kind === 'sink' ? settings.take('errors.deadletterqueue.topic.name') : undefined;
  const errors: NonNullable<SourceDeclaration['errors']> = {};
  if (tolerance && (tolerance.value === 'none' || tolerance.value === 'all'))
    errors.tolerance = tolerance.value;
  if (dlq?.value) errors.deadLetterTopic = dlq.value;
  if (Object.keys(errors).length) into.errors = errors;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
