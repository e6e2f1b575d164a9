/**
 * The `connection` setting of both PostgreSQL connectors, and opening a
 * client with it. Errors name the connector and the server, never the
 * password: pg's own messages do not carry it, and none of ours print the
 * settings.
 */
import type pg from 'pg';
import type { PostgresConnection } from '../../config/types.gen.js';
import { messageOf, PipeError } from '../../errors.js';

export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  ssl: boolean;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function connectionTarget(setting: PostgresConnection): ConnectionTarget {
  const parts = typeof setting === 'string' ? { url: setting } : setting;
  const url = parts.url ? new URL(parts.url) : undefined;
  const fromUrl = {
    host: url?.hostname || undefined,
    port: url?.port ? Number(url.port) : undefined,
    database: url && url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
    user: url?.username ? decodeURIComponent(url.username) : undefined,
  };
  return {
    host: parts.host ?? fromUrl.host ?? '127.0.0.1',
    port: parts.port ?? fromUrl.port ?? 5432,
    database: parts.database ?? fromUrl.database ?? 'postgres',
    user: parts.user ?? fromUrl.user ?? 'postgres',
    ...(parts.password === undefined ? {} : { password: parts.password }),
    ssl: parts.ssl ?? url?.searchParams.get('sslmode') === 'require',
  };
}

/** `user@host:port/database`: how messages name the server. */
export function describeTarget(t: ConnectionTarget): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}

/** Every value arrives as PostgreSQL's text: the connectors parse it by the Connect type they map it to. */
const TEXT_TYPES = { getTypeParser: () => (text: string) => text };

/**
 * A connected client, or a retriable CONNECTOR_FAILED within `timeoutMs`
 * saying why (refused, unknown host, authentication failed, …).
 */
export async function connect(
  target: ConnectionTarget,
  connector: string,
  timeoutMs: number,
): Promise<pg.Client> {
  // Loaded here, not at the top: the connectors' settings are read by every worker, pg only by their tasks.
  const { Client } = (await import('pg')).default;
  const client = new Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    ssl: target.ssl,
    connectionTimeoutMillis: timeoutMs,
    types: TEXT_TYPES,
    application_name: `pipe:${connector}`,
  });
  // A connection lost between queries surfaces in the next query; this keeps it from crashing the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new PipeError(
      'CONNECTOR_FAILED',
      `connector ${connector}: cannot connect to PostgreSQL at ${describeTarget(target)}: ${reasonOf(err)}`,
      { cause: err, retriable: true },
    );
  }
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = messageOf(err) || String(code ?? 'unknown error');
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * Whether an error means the connection, not the data: the batch is tried
 * again whole (by the error policy's retries) rather than any record skipped.
 * SQLSTATE classes 08 (connection), 53 (resources), 57 (operator
 * intervention, e.g. the server shutting down), 40 (serialization, deadlock)
 * and socket errors are; everything else is about the rows.
 */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof PipeError) return err.retriable;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return true;
  if (/^(08|53|57|40|58|XX)/.test(code)) return true;
  return /^E[A-Z]+$/.test(code);
}
