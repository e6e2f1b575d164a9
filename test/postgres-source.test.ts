/**
 * The `postgres` source against the machine's PostgreSQL and the test broker,
 * and both connectors together: every mapped type table → topic → table,
 * offsets in the JDBC source's shape surviving a restart, a connection cut
 * while reading, the errors of unmappable columns, and a worker killed with
 * SIGKILL mid-batch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorSpec, ProjectSpec } from '../src/config/model.js';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { PG_CONNECTION, type TestSchema, testSchema } from './helpers/postgres.js';
import {
  applyConnector,
  connectorSpec,
  startWorker,
  type TestWorker,
  testProject,
} from './helpers/worker.js';

let db: TestSchema;
let w: TestWorker | undefined;
let project: ProjectSpec;

beforeEach(async () => {
  db = await testSchema();
  project = await testProject({ offsetFlushIntervalMs: 200 });
});

afterEach(async () => {
  await w?.stop();
  w = undefined;
  await db.drop();
});

function source(name: string, topic: string, config: Record<string, unknown>): ConnectorSpec {
  return connectorSpec({
    kind: 'source',
    name,
    connector: 'postgres',
    topic,
    config: { connection: PG_CONNECTION, 'poll.interval.ms': 200, ...config },
  });
}

function sink(name: string, topic: string, config: Record<string, unknown>): ConnectorSpec {
  return connectorSpec({
    kind: 'sink',
    name,
    connector: 'postgres',
    topics: [topic],
    config: { connection: PG_CONNECTION, 'insert.mode': 'upsert', 'pk.mode': 'record_key', ...config },
  });
}

const count = async (table: string) =>
  Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0]?.['n']);

/** Rows of one table missing from the other, both ways: empty when the tables hold the same rows. */
const difference = (a: string, b: string, columns = '*') =>
  db.query(
    `(SELECT ${columns} FROM ${a} EXCEPT ALL SELECT ${columns} FROM ${b}) UNION ALL (SELECT ${columns} FROM ${b} EXCEPT ALL SELECT ${columns} FROM ${a})`,
  );

const ALL_TYPES = `(
  id integer PRIMARY KEY, i16 smallint NOT NULL, i64 bigint, f32 real, f64 double precision, flag boolean,
  txt text, vc varchar(20), ch char(3), raw bytea, price numeric(12,3), day date, at time,
  ts timestamptz, local timestamp, uid uuid, doc jsonb, big numeric)`;

describe('postgres source', () => {
  it('carries every mapped type table → topic → table unchanged, keyed by the primary key', async () => {
    await db.query(`CREATE TABLE ${db.name}.origin ${ALL_TYPES}`);
    await db.query(`CREATE TABLE ${db.name}.copy ${ALL_TYPES}`);
    await db.query(
      `INSERT INTO ${db.name}.origin VALUES
        (1, -32768, 9223372036854775807, 1.5, -2.25e-10, true, E'quote '' backslash \\\\ ünï', 'short', 'abc',
         '\\x00fffe', -123456789.123, '2024-02-29', '23:59:59.999', '2024-03-01 10:11:12.345+00',
         '1999-12-31 23:59:59.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, null]}', 12.000001),
        (2, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (3, 7, -1, 0.25, -1e300, false, '', '', ' ', '\\x', 0, '1969-07-20', '00:00', '1969-07-20 20:17:40+00',
         '1970-01-01 00:00:00', '00000000-0000-0000-0000-000000000000', '[]', -0.5)`,
    );
    const topic = uniqueName('origin');
    await createTopic(topic, 1);
    await applyConnector(
      project,
      source(uniqueName('pg-source'), topic, {
        tables: [`${db.name}.origin`],
        mode: 'incrementing',
        'incrementing.column': 'id',
      }),
    );
    await applyConnector(project, sink(uniqueName('pg-sink'), topic, { table: `${db.name}.copy` }));
    w = await startWorker(project);
    await waitFor('3 rows copied', async () => (await count(`${db.name}.copy`)) === 3, { timeoutMs: 60_000 });
    expect(await difference(`${db.name}.origin`, `${db.name}.copy`)).toEqual([]);
    const fed = await db.query(`SELECT price, local, at FROM ${db.name}.copy WHERE id = 1`);
    expect(fed).toEqual([{ price: '-123456789.123', local: '1999-12-31 23:59:59.5', at: '23:59:59.999' }]);
  }, 150_000);

  it('timestamp+incrementing: reads inserts and updates once, stores JDBC-shaped offsets, and goes on from them after a restart', async () => {
    const table = `${db.name}.events`;
    await db.query(
      `CREATE TABLE ${table} (id serial PRIMARY KEY, body text NOT NULL, changed timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    await db.query(`INSERT INTO ${table} (body) SELECT 'e' || g FROM generate_series(1, 250) g`);
    const topic = uniqueName('events');
    await createTopic(topic, 1);
    const name = uniqueName('pg-source');
    const target = `${db.name}.events_copy`;
    const spec = source(name, topic, {
      tables: [table],
      mode: 'timestamp+incrementing',
      'incrementing.column': 'id',
      'timestamp.column': 'changed',
      'batch.max.rows': 40,
    });
    await applyConnector(project, spec);
    await applyConnector(project, sink(uniqueName('pg-sink'), topic, { table: target, 'auto.create': true }));
    w = await startWorker(project);
    await waitFor('250 rows copied', async () => (await count(target).catch(() => 0)) === 250);
    await db.query(`UPDATE ${table} SET body = 'changed', changed = clock_timestamp() WHERE id = 7`);
    await waitFor(
      'the update copied',
      async () => (await db.query(`SELECT body FROM ${target} WHERE id = 7`))[0]?.['body'] === 'changed',
    );
    await w.stop();
    w = undefined;

    const offsets = latestByKey(
      await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).offsets),
    );
    const stored = JSON.parse(offsets.get(JSON.stringify([name, { table }]))!.toString());
    const [last] = await db.query(
      `SELECT floor(extract(epoch FROM changed) * 1000)::bigint AS ms, to_char(changed, 'US') AS us FROM ${table} WHERE id = 7`,
    );
    expect(stored).toEqual({
      incrementing: 7,
      timestamp: Number(last!['ms']),
      timestamp_nanos: Number(last!['us']) * 1000,
    });

    await db.query(`INSERT INTO ${table} (body) VALUES ('after restart')`);
    w = await startWorker(project);
    await waitFor('the new row copied', async () => (await count(target)) === 251);
    // Every record in the topic: 250 rows, one update, one insert after the restart; nothing read twice.
    const records = await readTopicToEnd(kafka(), topic);
    expect(records.length).toBe(252);
    // Connect's Timestamp holds milliseconds: the copy has the source's time to the millisecond.
    expect(await difference(table, target, "id, body, date_trunc('milliseconds', changed)")).toEqual([]);
  });

  it('reads on after its connection was cut, from the last row it returned: no row skipped, none read twice', async () => {
    const table = `${db.name}.cut`;
    await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, n integer NOT NULL)`);
    const rows = (from: number) =>
      db.query(`INSERT INTO ${table} SELECT g, g * 2 FROM generate_series(${from}, ${from + 499}) g`);
    await rows(0);
    const topic = uniqueName('cut');
    await createTopic(topic, 1);
    const name = uniqueName('pg-source');
    await applyConnector(project, {
      ...source(name, topic, {
        tables: [table],
        mode: 'incrementing',
        'incrementing.column': 'id',
        'batch.max.rows': 50,
      }),
      errors: { tolerance: 'none', retries: 10 },
    });
    w = await startWorker(project);
    const ids = async () =>
      (await readTopicToEnd(kafka(), topic)).map((r) => JSON.parse(r.value!.toString()).payload.id as number);
    const cutSource = async (where: string) => {
      const [terminated] = await db.query(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1 ${where}`,
        [`pipe:${name}`],
      );
      return Number(terminated?.['n']);
    };
    await waitFor('the first 500 rows', async () => (await ids()).length === 500, { timeoutMs: 60_000 });

    // Cut in the middle of a read: with the table locked, the next read is waiting when cut.
    await db.query('BEGIN');
    await db.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    await rows(500);
    await waitFor(
      'the source waiting on the lock',
      async () => (await cutSource("AND wait_event_type = 'Lock'")) > 0,
    );
    await db.query('COMMIT');
    await waitFor('1000 rows', async () => (await ids()).length >= 1000, { timeoutMs: 60_000 });
    expect(w.logs.some((l) => /poll failed .*terminat.*retry 1 of 10/.test(l))).toBe(true);

    // Cut wherever the source is then, between polls or inside its cursor.
    let cut = 0;
    for (let from = 1000; from < 3000; from += 500) {
      await rows(from);
      cut += await cutSource('');
    }
    expect(cut).toBeGreaterThan(0);
    await waitFor('3000 rows', async () => (await ids()).length >= 3000, { timeoutMs: 60_000 });
    const read = await ids();
    expect(read).toHaveLength(3000);
    expect(read).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it('fails naming connector, table and column for a column type it cannot map, and for a missing table', async () => {
    await db.query(`CREATE TABLE ${db.name}.shapes (id integer PRIMARY KEY, p point)`);
    const topic = uniqueName('shapes');
    await createTopic(topic, 1);
    const unmappable = uniqueName('pg-source');
    const missing = uniqueName('pg-source');
    await applyConnector(project, source(unmappable, topic, { tables: [`${db.name}.shapes`], mode: 'bulk' }));
    await applyConnector(project, source(missing, topic, { tables: [`${db.name}.nothing`], mode: 'bulk' }));
    w = await startWorker(project);
    const failed = await w.taskState(unmappable, 0, 'FAILED');
    expect(failed.trace).toContain(
      `connector ${unmappable}: table ${db.name}.shapes column p has type point, which pipe cannot map to a Connect type`,
    );
    const absent = await w.taskState(missing, 0, 'FAILED');
    expect(absent.trace).toContain(`connector ${missing}: table ${db.name}.nothing does not exist`);
  });
});

function pipeRun(dir: string): ChildProcess {
  return spawn(
    process.execPath,
    ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', 'run', '-C', dir, '--no-http'],
    {
      stdio: 'ignore',
    },
  );
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

describe('postgres source and sink in a worker process', () => {
  it('after kill -9 mid-batch and a restart, the target table equals the source table exactly', async () => {
    const rows = 30_000;
    const origin = `${db.name}.orders`;
    const target = `${db.name}.orders_copy`;
    await db.query(
      `CREATE TABLE ${origin} (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2), at timestamptz)`,
    );
    await db.query(
      `INSERT INTO ${origin} SELECT g, 'customer-' || (g % 97), g * 1.25, '2024-01-01'::timestamptz + g * interval '1 second'
         FROM generate_series(1, ${rows}) g`,
    );
    await writeFile(
      join(project.dir, 'pipeline.config.yaml'),
      [
        `project: ${project.name}`,
        'kafka:',
        `  brokers: ${brokers()}`,
        'state:',
        `  topicPrefix: ${project.state.topicPrefix}`,
        '  replicationFactor: 1',
        'worker:',
        '  offsetFlushIntervalMs: 200',
        '',
      ].join('\n'),
    );
    const topic = uniqueName('orders');
    await createTopic(topic, 1);
    await applyConnector(
      project,
      source(uniqueName('pg-source'), topic, {
        tables: [origin],
        mode: 'incrementing',
        'incrementing.column': 'id',
        'batch.max.rows': 500,
      }),
    );
    await applyConnector(
      project,
      sink(uniqueName('pg-sink'), topic, { table: target, 'auto.create': true, 'batch.size': 200 }),
    );
    const first = pipeRun(project.dir);
    try {
      await waitFor(
        'the target table part-way',
        async () => {
          const n = await count(target).catch(() => 0);
          return n >= 2000 && n < rows;
        },
        { timeoutMs: 90_000, intervalMs: 20 },
      );
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    expect(await count(target)).toBeLessThan(rows);
    const second = pipeRun(project.dir);
    try {
      await waitFor('every row in the target', async () => (await count(target)) === rows, {
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect(await difference(origin, target)).toEqual([]);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
  }, 240_000);
});
