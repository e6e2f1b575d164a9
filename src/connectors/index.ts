/** The built-in connectors, by kind and type (`connector: file` in a source or a sink). */
import type { SinkConnector, SourceConnector } from './api.js';
import { consoleSink } from './console/sink.js';
import { datagenSource } from './datagen/source.js';
import { fileSink } from './file/sink.js';
import { fileSource } from './file/source.js';
import { postgresSink, postgresSource } from './postgres/index.js';

export type * from './api.js';

const SOURCES: Record<string, SourceConnector> = {
  file: fileSource,
  datagen: datagenSource,
  postgres: postgresSource,
};
const SINKS: Record<string, SinkConnector> = { file: fileSink, console: consoleSink, postgres: postgresSink };

export function builtInSource(type: string): SourceConnector | undefined {
  return Object.hasOwn(SOURCES, type) ? SOURCES[type] : undefined;
}

export function builtInSink(type: string): SinkConnector | undefined {
  return Object.hasOwn(SINKS, type) ? SINKS[type] : undefined;
}

/** Every built-in connector, for Connect's `GET /connector-plugins`. */
export function builtInConnectors(): Array<{ kind: 'source' | 'sink'; type: string }> {
  return [
    ...Object.keys(SOURCES).map((type) => ({ kind: 'source' as const, type })),
    ...Object.keys(SINKS).map((type) => ({ kind: 'sink' as const, type })),
  ];
}
