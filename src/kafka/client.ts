/**
 * The one place that builds Kafka clients. Everything else asks this module for
 * a client so that the library (kafkajs today) can be replaced in one place.
 */
import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import type { KafkaConnection } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import './kafkajs-request-queue.js';

export type { Admin, Consumer, Kafka, Producer } from 'kafkajs';

export interface ClientOptions {
  /** Extra suffix for the client id, so broker logs tell pipe's roles apart. */
  role?: string;
  /** kafkajs logs through pipe's logger in the worker; elsewhere it stays quiet. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

const LEVELS = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/**
 * The settings each kafkajs client was built from, so the roles served by
 * another client (the state reader) reach the cluster the same way from the
 * same handle.
 */
const connections = new WeakMap<Kafka, KafkaConnection>();

export function connectionOf(kafka: Kafka): KafkaConnection {
  const conn = connections.get(kafka);
  if (conn === undefined)
    throw new PipeError('INTERNAL', 'a Kafka client not built by createKafka has no connection settings');
  return conn;
}

export function createKafka(conn: KafkaConnection, options: ClientOptions = {}): Kafka {
  const config: KafkaConfig = {
    brokers: conn.brokers,
    clientId: options.role ? `${conn.clientId}-${options.role}` : conn.clientId,
    connectionTimeout: conn.connectionTimeoutMs,
    requestTimeout: conn.requestTimeoutMs,
    logLevel: LEVELS[options.logLevel ?? 'nothing'],
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
  };
  if (conn.ssl !== undefined) config.ssl = conn.ssl;
  if (conn.sasl) config.sasl = { ...conn.sasl } as SASLOptions;
  const kafka = new Kafka(config);
  connections.set(kafka, conn);
  return kafka;
}

/** A connection with pipe's defaults, for tools and tests that only know broker addresses. */
export function connectionFor(brokers: string[] | string, clientId = 'pipe'): KafkaConnection {
  return {
    brokers: typeof brokers === 'string' ? brokers.split(',').map((b) => b.trim()) : brokers,
    clientId,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30000,
  };
}

/**
 * Whether a kafkajs failure may pass: kafkajs gives up after its own retries
 * with an error marked not retriable whose cause was (a leader moving, a
 * topic not yet there, the broker away).
 */
export function isRetriableKafkaError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { retriable?: unknown; name?: unknown; originalError?: unknown; cause?: unknown };
  if (e.retriable === true || e.name === 'KafkaJSConnectionError') return true;
  return isRetriableKafkaError(e.originalError) || isRetriableKafkaError(e.cause);
}

/**
 * Wraps a failure to reach the cluster into the error users see: which brokers
 * were tried and what to check, instead of kafkajs's retry chatter.
 */
export function unreachable(conn: KafkaConnection, err: unknown): PipeError {
  return new PipeError(
    'KAFKA_UNREACHABLE',
    `cannot reach Kafka at ${conn.brokers.join(', ')}: ${messageOf(err)}`,
    {
      cause: err,
      retriable: true,
      meta: {
        file: 'pipeline.config.yaml',
        field: 'kafka.brokers',
        hint: 'check that the broker runs (`pipe dev kafka` starts a local one) and that kafka.brokers points at it',
      },
    },
  );
}
