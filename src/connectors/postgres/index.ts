/**
 * The PostgreSQL connectors as the registry holds them. Their tasks, and `pg`
 * with them (1.5 MB of heap), load when a task starts, so a worker without a
 * PostgreSQL connector never loads them.
 */
import type { PostgresSinkConfig, PostgresSourceConfig } from '../../config/types.gen.js';
import type { SinkConnector, SourceConnector } from '../api.js';
import { sinkTaskOnStart, sourceTaskOnStart } from '../task-on-start.js';
import { type PostgresSourceTaskConfig, sourceTaskConfigs } from './source-config.js';

export const postgresSource: SourceConnector<PostgresSourceConfig, PostgresSourceTaskConfig> = {
  kind: 'source',
  type: 'postgres',
  taskConfigs: sourceTaskConfigs,
  createTask: () => sourceTaskOnStart(async () => new (await import('./source.js')).PostgresSourceTask()),
};

export const postgresSink: SinkConnector<PostgresSinkConfig, PostgresSinkConfig> = {
  kind: 'sink',
  type: 'postgres',
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ ...config })),
  createTask: () => sinkTaskOnStart(async () => new (await import('./sink.js')).PostgresSinkTask()),
};
