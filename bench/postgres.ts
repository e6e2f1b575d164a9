/**
 * The machine's PostgreSQL for the postgres scenarios: a schema of the bench
 * run's own, rows made by the server (generate_series), and `psql \copy`
 * timed as the ceiling the connectors are measured against.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const run = promisify(execFile);

/** The rows of both scenarios: `id` 0..n-1, as the sink's topic holds them too. */
export const TABLE_COLUMNS =
  'id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), at timestamptz';
export const ROW_SQL =
  "SELECT g, 'customer-' || g || '-abcdefghijklmnopqrstuvwxyz', (g % 100000) * 1.25, '2024-01-01'::timestamptz + g * interval '1 millisecond'";

const KEY_SCHEMA =
  '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false}';
const VALUE_SCHEMA =
  '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":false,"field":"name"},' +
  '{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"amount"},' +
  '{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"at"}],"optional":false,"name":"source"}';
const BASE_MILLIS = Date.parse('2024-01-01T00:00:00Z');

/** `amount` of row `id` as JsonConverter writes a Decimal: base64 of the unscaled value's two's complement bytes. */
function amountBase64(id: number): string {
  const cents = BigInt((id % 100000) * 125);
  const hex = cents.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return ((bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes).toString('base64');
}

/**
 * Row `id` of ROW_SQL in a table named `source` as Kafka Connect's JDBC source
 * and JsonConverter with schemas write it: key `{id}`, value the whole row.
 */
export function rowRecord(id: number): { key: string; value: string } {
  return {
    key: `{"schema":${KEY_SCHEMA},"payload":{"id":${id}}}`,
    value: `{"schema":${VALUE_SCHEMA},"payload":{"id":${id},"name":"customer-${id}-abcdefghijklmnopqrstuvwxyz","amount":"${amountBase64(id)}","at":${BASE_MILLIS + id}}}`,
  };
}

export interface BenchDb {
  schema: string;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function benchDb(): Promise<BenchDb> {
  const schema = `pipe_bench_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    query: async (sql) => (await client.query(sql)).rows,
    close: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    },
  };
}

/** Rows per second of one `psql -c '\copy …'`, timed around the whole command. */
export async function psqlCopy(command: string, rows: number): Promise<number> {
  const started = performance.now();
  await run('psql', [
    '-X',
    '-q',
    '-h',
    '127.0.0.1',
    '-U',
    'postgres',
    '-d',
    'test',
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    command,
  ]);
  return (rows / (performance.now() - started)) * 1000;
}

/** Whether PostgreSQL answers: without it the scenarios report "not measured" rather than fail the suite. */
export async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}
