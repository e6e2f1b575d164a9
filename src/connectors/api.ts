/**
 * What a built-in connector implements, modelled on Kafka Connect's
 * Connector / SourceTask / SinkTask so that the worker's guarantees (offsets
 * stored only after the broker acknowledged, consumer offsets committed only
 * after a flush) live in the worker and every connector gets them for free.
 */
import type { ConnectSchema } from '../converters/index.js';

/** Whom a log line is about, and the code of the error it reports: fields of the JSON log. */
export interface LogContext {
  connector?: string;
  task?: number;
  code?: string;
}

export interface Log {
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
}

/** A task's settings, as its connector's `taskConfigs` produced them: plain data in the connector's own shape. */
export type TaskConfig = object;

/** Connect's source partition (`{filename}`) and source offset (`{position}`): JSON objects. */
export type SourcePartition = Record<string, unknown>;
export type SourceOffset = Record<string, unknown>;

export interface SourceRecord {
  sourcePartition: SourcePartition;
  sourceOffset: SourceOffset;
  topic: string;
  keySchema: ConnectSchema | null;
  key: unknown;
  valueSchema: ConnectSchema | null;
  value: unknown;
  /** Written with the header converter; none when absent. */
  headers?: Array<{ key: string; schema: ConnectSchema | null; value: unknown }>;
  /** Epoch milliseconds; the producer's clock when absent. */
  timestamp?: number;
}

export interface SinkRecord {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit: kept as the broker's decimal string. */
  offset: string;
  timestamp: number;
  keySchema: ConnectSchema | null;
  key: unknown;
  valueSchema: ConnectSchema | null;
  value: unknown;
  headers: Array<{ key: string; schema: ConnectSchema | null; value: unknown }>;
}

export interface TaskContext {
  connector: string;
  task: number;
  /** Relative paths in a connector's settings resolve from the project folder. */
  baseDir: string;
  log: Log;
  /** Aborted when the worker stops the task: a pending poll returns at once. */
  signal: AbortSignal;
}

export interface SourceTaskContext extends TaskContext {
  /** The last offset stored for a source partition, or null when it has none. */
  offset(partition: SourcePartition): Promise<SourceOffset | null>;
}

export interface SourceTask<Config extends TaskConfig = TaskConfig> {
  start(config: Config, context: SourceTaskContext): Promise<void>;
  /**
   * The next records, or an empty array after waiting a while for some. The
   * worker calls it again at once, so a task waits inside poll, not outside.
   */
  poll(): Promise<SourceRecord[]>;
  stop(): Promise<void>;
}

export interface SinkTaskContext extends TaskContext {
  /**
   * Connect's ErrantRecordReporter: a record the task cannot write goes
   * through errors.tolerance (and the dead letter queue) with this error;
   * throws when the policy tolerates nothing.
   */
  reportError(record: SinkRecord, err: unknown): void;
}

export interface SinkTask<Config extends TaskConfig = TaskConfig> {
  start(config: Config, context: SinkTaskContext): Promise<void>;
  put(records: SinkRecord[]): Promise<void>;
  /** Make everything put so far durable: the worker commits consumer offsets only after this returns. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A connector is typed by its settings (`Config`: the type generated from its
 * config schema, which validated and defaulted them when the project was
 * loaded) and by its tasks' settings (`Task`), which only it produces and
 * only its own tasks read. The registry holds connectors of every shape.
 */
export interface SourceConnector<Config extends object = object, Task extends TaskConfig = TaskConfig> {
  kind: 'source';
  type: string;
  /** Splits the work; `config` is the connector's validated settings, `topic` where records go. */
  taskConfigs(config: Config, maxTasks: number, topic: string): Task[];
  createTask(): SourceTask<Task>;
}

export interface SinkConnector<Config extends object = object, Task extends TaskConfig = TaskConfig> {
  kind: 'sink';
  type: string;
  taskConfigs(config: Config, maxTasks: number): Task[];
  createTask(): SinkTask<Task>;
}

export type Connector = SourceConnector | SinkConnector;

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
