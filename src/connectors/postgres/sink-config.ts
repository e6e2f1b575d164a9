/**
 * The sink's settings with their defaults, and the combinations the JDBC sink
 * refuses, refused here too before any record is read.
 */
import type { PostgresSinkConfig } from '../../config/types.gen.js';
import { PipeError } from '../../errors.js';
import { type ConnectionTarget, connectionTarget, DEFAULT_CONNECT_TIMEOUT_MS } from './connection.js';

export interface SinkSettings {
  connection: ConnectionTarget;
  connectTimeoutMs: number;
  table: string;
  insertMode: NonNullable<PostgresSinkConfig['insert.mode']>;
  pkMode: NonNullable<PostgresSinkConfig['pk.mode']>;
  pkFields: string[];
  fieldsWhitelist: string[] | undefined;
  deleteEnabled: boolean;
  autoCreate: boolean;
  autoEvolve: boolean;
  batchSize: number;
}

export const KAFKA_PK_FIELDS = ['__connect_topic', '__connect_partition', '__connect_offset'];
export const RECORD_KEY_FIELD = '__connect_key';

export function sinkSettings(config: PostgresSinkConfig, connector: string): SinkSettings {
  const s: SinkSettings = {
    connection: connectionTarget(config.connection),
    connectTimeoutMs: config['connection.timeout.ms'] ?? DEFAULT_CONNECT_TIMEOUT_MS,
    table: config.table ?? '${topic}',
    insertMode: config['insert.mode'] ?? 'insert',
    pkMode: config['pk.mode'] ?? 'none',
    pkFields: config['pk.fields'] ?? [],
    fieldsWhitelist: config['fields.whitelist'],
    deleteEnabled: config['delete.enabled'] ?? false,
    autoCreate: config['auto.create'] ?? false,
    autoEvolve: config['auto.evolve'] ?? false,
    batchSize: config['batch.size'] ?? 3000,
  };
  const refuse = (field: string, message: string) => {
    throw new PipeError('CONNECTOR_CONFIG', `connector ${connector}: ${field} ${message}`, {
      meta: { field: `config.${field}` },
    });
  };
  if (s.insertMode !== 'insert' && s.pkMode === 'none')
    refuse('insert.mode', `${s.insertMode} needs a primary key: set pk.mode`);
  if (s.deleteEnabled && s.pkMode !== 'record_key')
    refuse('delete.enabled', 'needs pk.mode: record_key (a tombstone has only its key)');
  if (s.pkMode === 'kafka' && s.pkFields.length > 0 && s.pkFields.length !== 3)
    refuse('pk.fields', 'with pk.mode kafka names three columns: topic, partition, offset');
  if (s.pkMode === 'none' && s.pkFields.length > 0) refuse('pk.fields', 'is set but pk.mode is none');
  return s;
}
