/**
 * The `postgres` source task against the machine's PostgreSQL, without a
 * broker: one query's rows are fetched ahead in chunks and handed out
 * `batch.max.rows` a poll, and a task started from a stored offset in the
 * middle of a chunk reads on from exactly the row after it.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceOffset, SourceRecord, SourceTask } from '../src/connectors/api.js';
import { PostgresSourceTask, READ_AHEAD_ROWS } from '../src/connectors/postgres/source.js';
import type { PostgresSourceTaskConfig } from '../src/connectors/postgres/source-config.js';
import { PG_CONNECTION, type TestSchema, testSchema } from './helpers/postgres.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

let db: TestSchema;
const tasks: SourceTask<PostgresSourceTaskConfig>[] = [];

beforeEach(async () => {
  db = await testSchema();
});

afterEach(async () => {
  for (const task of tasks.splice(0)) await task.stop();
  await db.drop();
});

async function started(
  connector: string,
  config: Partial<PostgresSourceTaskConfig> & Pick<PostgresSourceTaskConfig, 'mode'>,
  stored: SourceOffset | null = null,
): Promise<SourceTask<PostgresSourceTaskConfig>> {
  const task = new PostgresSourceTask();
  tasks.push(task);
  const taskConfig: PostgresSourceTaskConfig = {
    connection: PG_CONNECTION,
    tables: [`${db.name}.t`],
    'poll.interval.ms': 60_000,
    topic: 'unused',
    ...config,
  };
  await task.start(taskConfig, {
    connector,
    task: 0,
    baseDir: '.',
    log: quiet,
    signal: new AbortController().signal,
    offset: async () => stored,
  });
  return task;
}

const ids = (records: SourceRecord[]) => records.map((r) => Number((r.value as { id: number }).id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Polls until `n` records came (a poll with none waits for the next read, so this stops at `n`). */
async function pollFor(task: SourceTask, n: number): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  while (records.length < n) records.push(...(await task.poll()));
  return records;
}

/** The state of the source's backend: `idle in transaction` while a cursor is open. */
async function backendState(connector: string): Promise<string | null | undefined> {
  const admin = new pg.Client({ connectionString: PG_CONNECTION });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ state: string | null }>(
      'SELECT state FROM pg_stat_activity WHERE application_name = $1',
      [`pipe:${connector}`],
    );
    return rows[0]?.state;
  } finally {
    await admin.end();
  }
}

describe('postgres source, reading ahead', () => {
  it('hands out one query over several polls of batch.max.rows, from one FETCH whose transaction is already over', async () => {
    await db.query('CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)');
    await db.query("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 25) g");
    const connector = `chunks_${Date.now().toString(36)}`;
    const task = await started(connector, {
      mode: 'incrementing',
      'incrementing.column': 'id',
      'batch.max.rows': 10,
    });

    expect(ids(await task.poll())).toEqual(range(1, 10));
    // The 25 rows came in one chunk: the cursor was read to its end and its snapshot let go.
    expect(await backendState(connector)).toBe('idle');
    // The remaining polls hand out that chunk; they do not query the table again.
    await db.query('DELETE FROM t');
    expect(ids(await task.poll())).toEqual(range(11, 20));
    expect(ids(await task.poll())).toEqual(range(21, 25));
    expect((await task.poll()).length).toBe(0);
  });

  it('reads a table larger than a chunk in order, each row once', async () => {
    const n = READ_AHEAD_ROWS * 2 + 3;
    await db.query('CREATE TABLE t (id integer PRIMARY KEY)');
    await db.query('INSERT INTO t SELECT generate_series(1, $1::integer)', [n]);
    const task = await started(`large_${Date.now().toString(36)}`, {
      mode: 'incrementing',
      'incrementing.column': 'id',
      'batch.max.rows': 700,
    });

    const records = await pollFor(task, n);

    expect(ids(records)).toEqual(range(1, n));
    expect((await task.poll()).length).toBe(0);
  });

  it('a task started from an offset in the middle of a chunk reads on from the row after it', async () => {
    await db.query('CREATE TABLE t (id integer PRIMARY KEY, at timestamptz NOT NULL)');
    // Four rows a timestamp: the stored offset falls between rows of equal timestamp.
    await db.query(
      "INSERT INTO t SELECT g, timestamptz '2026-01-01' + ((g - 1) / 4) * interval '1 second' FROM generate_series(1, 25) g",
    );
    const config = {
      mode: 'timestamp+incrementing' as const,
      'incrementing.column': 'id',
      'timestamp.column': 'at',
      'batch.max.rows': 10,
    };
    const first = await started(`restart_${Date.now().toString(36)}`, config);
    const handedOut = await first.poll();
    expect(ids(handedOut)).toEqual(range(1, 10));
    // Only the first 7 were acknowledged when the task stopped; its other fetched rows are dropped with it.
    await first.stop();
    const acknowledged = handedOut[6]?.sourceOffset ?? null;
    expect(acknowledged).toEqual({
      incrementing: 7,
      timestamp: Date.parse('2026-01-01T00:00:01Z'),
      timestamp_nanos: 0,
    });

    const second = await started(`restart2_${Date.now().toString(36)}`, config, acknowledged);

    expect(ids(await pollFor(second, 18))).toEqual(range(8, 25));
    expect((await second.poll()).length).toBe(0);
  });
});
