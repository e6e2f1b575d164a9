/**
 * The source's settings with their defaults, the checks the JDBC source makes
 * before reading (a mode's columns named, tables or a query), and how the
 * tables are shared out among tasks.
 */
import type { PostgresSourceConfig } from '../../config/types.gen.js';
import { PipeError } from '../../errors.js';
import { present } from '../../invariant.js';
import { type ConnectionTarget, connectionTarget, DEFAULT_CONNECT_TIMEOUT_MS } from './connection.js';

export type SourceMode = PostgresSourceConfig['mode'];

export interface SourceSettings {
  connection: ConnectionTarget;
  connectTimeoutMs: number;
  mode: SourceMode;
  /** Tables this task reads; empty when it runs the query. */
  tables: string[];
  query: string | undefined;
  incrementingColumn: string | undefined;
  timestampColumn: string | undefined;
  timestampDelayMs: number;
  pollIntervalMs: number;
  batchMaxRows: number;
  /** Where the rows of `table` (or of the query, table undefined) go. */
  topicOf: (table: string | undefined) => string;
}

/** What one task is given: the connector's settings with its share of the tables, and the source's topic. */
export type PostgresSourceTaskConfig = PostgresSourceConfig & { topic: string };

export function sourceTaskConfigs(
  config: PostgresSourceConfig,
  maxTasks: number,
  topic: string,
): PostgresSourceTaskConfig[] {
  if (config.query !== undefined || !config.tables) return [{ ...config, topic }];
  const groups: string[][] = Array.from({ length: Math.min(maxTasks, config.tables.length) }, () => []);
  for (const [i, table] of config.tables.entries())
    present(groups[i % groups.length], 'a task group').push(table);
  return groups.map((tables) => ({ ...config, tables: tables as [string, ...string[]], topic }));
}

export function sourceSettings(config: PostgresSourceTaskConfig, connector: string): SourceSettings {
  const refuse = (field: string, message: string): never => {
    throw new PipeError('CONNECTOR_CONFIG', `connector ${connector}: ${field} ${message}`, {
      meta: { field: `config.${field}` },
    });
  };
  if ((config.tables === undefined) === (config.query === undefined))
    refuse('tables', 'or query: exactly one of them says what to read');
  if (config.mode.includes('incrementing') && !config['incrementing.column'])
    refuse('incrementing.column', `is needed by mode ${config.mode}`);
  if (config.mode.startsWith('timestamp') && !config['timestamp.column'])
    refuse('timestamp.column', `is needed by mode ${config.mode}`);
  const prefix = config['topic.prefix'];
  return {
    connection: connectionTarget(config.connection),
    connectTimeoutMs: config['connection.timeout.ms'] ?? DEFAULT_CONNECT_TIMEOUT_MS,
    mode: config.mode,
    tables: config.tables ?? [],
    query: config.query,
    incrementingColumn: config['incrementing.column'],
    timestampColumn: config['timestamp.column'],
    timestampDelayMs: config['timestamp.delay.interval.ms'] ?? 0,
    pollIntervalMs: config['poll.interval.ms'] ?? 5000,
    batchMaxRows: config['batch.max.rows'] ?? 100,
    topicOf: (table) => (prefix === undefined ? config.topic : `${prefix}${table ?? ''}`),
  };
}
