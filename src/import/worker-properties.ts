/**
 * A Kafka Connect worker file (connect-standalone.properties,
 * connect-distributed.properties) → the settings of pipeline.config.yaml.
 */

import type {
  ConverterSettings,
  KafkaSettings,
  ProjectFile,
  WorkerSettingsFile,
} from '../config/types.gen.js';
import { present } from '../invariant.js';
import { CONVERTER_ROLES, importConverter } from './converter-settings.js';
import type { ImportNote, Settings } from './settings.js';

/** Worker keys that mean nothing to pipe because pipe does that job itself. */
const NOT_NEEDED: Record<string, string> = {
  'plugin.path':
    'pipe runs its built-in connectors; connect:<class> connectors run on a Kafka Connect cluster',
  'group.id': "pipe's workers are identified by the project",
  'config.storage.topic': 'pipe keeps connector configs in <state.topicPrefix>.configs',
  'offset.storage.topic': 'pipe keeps source offsets in <state.topicPrefix>.offsets',
  'status.storage.topic': 'pipe keeps status in <state.topicPrefix>.status',
  'config.storage.replication.factor': 'set state.replicationFactor',
  'offset.storage.replication.factor': 'set state.replicationFactor',
  'status.storage.replication.factor': 'set state.replicationFactor',
};

export interface ImportedWorker {
  kafka: KafkaSettings;
  worker: WorkerSettingsFile;
  defaults: NonNullable<ProjectFile['defaults']>;
  /** Environment variable that may override the brokers the worker file names. */
  brokersVariable: string;
  /** Connect standalone's offset file (`offset.storage.file.filename`), as the worker file names it. */
  standaloneOffsets?: { path: string; file: string; line: number };
}

/** Where an imported project keeps the offsets converted from Connect standalone's file, relative to it. */
export const PROJECT_OFFSET_FILE = '.pipe/offsets.json';

export const BROKERS_VARIABLE = 'KAFKA_BROKERS';

export function importWorker(settings: Settings, notes: ImportNote[]): ImportedWorker {
  const servers = settings.take('bootstrap.servers');
  const kafka: KafkaSettings = {
    // Kept overridable, so the same project runs against a test broker.
    brokers: `\${env:${BROKERS_VARIABLE}:-${servers?.value.trim() || 'localhost:9092'}}`,
  };
  const clientId = settings.take('client.id');
  if (clientId) kafka.clientId = clientId.value;
  importSecurity(settings, kafka, notes);

  const worker: WorkerSettingsFile = {};
  const flush = settings.take('offset.flush.interval.ms');
  if (flush) {
    const ms = Number(flush.value);
    if (Number.isInteger(ms) && ms >= 1) worker.offsetFlushIntervalMs = ms;
    else
      notes.push(
        settings.note(
          'warning',
          flush.line,
          `offset.flush.interval.ms=${flush.value} is not a positive integer; ignored`,
        ),
      );
  }
  const offsetFile = settings.take('offset.storage.file.filename');
  let standaloneOffsets: ImportedWorker['standaloneOffsets'];
  if (offsetFile) {
    // Connect's file is Java-serialized and stays Connect's: its offsets are converted into pipe's own file.
    worker.offsetStorage = 'file';
    worker.offsetFile = PROJECT_OFFSET_FILE;
    standaloneOffsets = { path: offsetFile.value.trim(), file: settings.file, line: offsetFile.line };
  }
  const port = restPort(settings);
  if (port !== undefined) worker.restPort = port;

  const defaults: ImportedWorker['defaults'] = {};
  for (const key of settings.keys()) {
    if (key.startsWith('internal.')) {
      const { line } = present(settings.take(key), key);
      notes.push(
        settings.note('warning', line, `${key} is obsolete (Kafka Connect ignores it since 2.0); ignored`),
      );
    }
  }
  for (const role of CONVERTER_ROLES) {
    const converter: ConverterSettings | undefined = importConverter(settings, role, notes);
    if (converter) defaults[role] = converter;
  }
  for (const [key, { line }] of settings.rest()) {
    settings.take(key);
    const why = NOT_NEEDED[key];
    notes.push(
      settings.note(
        why ? 'note' : 'warning',
        line,
        `${key} ${why ? `is not needed: ${why}` : 'has no pipe equivalent; ignored'}`,
      ),
    );
  }
  return {
    kafka,
    worker,
    defaults,
    brokersVariable: BROKERS_VARIABLE,
    ...(standaloneOffsets ? { standaloneOffsets } : {}),
  };
}

function restPort(settings: Settings): number | undefined {
  const port = settings.take('rest.port');
  const listeners = settings.take('listeners');
  const text = port?.value ?? /:(\d+)\s*(,|$)/.exec(listeners?.value ?? '')?.[1];
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

const SASL: Record<string, 'plain' | 'scram-sha-256' | 'scram-sha-512'> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};

/**
 * TLS and SASL from `security.protocol`, `sasl.mechanism` and the JAAS line.
 * The password is never copied into the YAML: it becomes a reference to an
 * environment variable the user sets.
 */
function importSecurity(settings: Settings, kafka: KafkaSettings, notes: ImportNote[]): void {
  const protocol = settings.take('security.protocol')?.value.toUpperCase();
  if (protocol === 'SSL' || protocol === 'SASL_SSL') kafka.tls = true;
  const mechanism = settings.take('sasl.mechanism');
  const jaas = settings.take('sasl.jaas.config');
  if (!protocol?.startsWith('SASL') || !jaas) return;
  const sasl = SASL[(mechanism?.value ?? 'GSSAPI').toUpperCase()];
  if (!sasl) {
    notes.push(
      settings.note(
        'warning',
        mechanism?.line ?? jaas.line,
        `sasl.mechanism=${mechanism?.value} is not supported; set kafka.sasl yourself`,
      ),
    );
    return;
  }
  const username = /username\s*=\s*"([^"]*)"/.exec(jaas.value)?.[1] ?? '';
  kafka.sasl = { mechanism: sasl, username, password: '${env:KAFKA_SASL_PASSWORD}' };
  notes.push(
    settings.note('note', jaas.line, 'the SASL password is read from ${env:KAFKA_SASL_PASSWORD}, not copied'),
  );
}
