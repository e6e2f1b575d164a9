/**
 * The `postgres` sink against the machine's PostgreSQL and the test broker:
 * every Connect type into an auto-created table, auto-evolve, upserts
 * replayed, tombstones, rows the table refuses, and the errors of a missing
 * table and an unreachable server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectSpec } from '../src/config/model.js';
import { type ConnectSchema, Decimal, JsonConverter, Schemas } from '../src/converters/index.js';
import { consume, createTopic, produce as produceOnce, uniqueName, waitFor } from './helpers/kafka.js';
import { PG_CONNECTION, type TestSchema, testSchema } from './helpers/postgres.js';
import {
  applyConnector,
  connectorSpec,
  startWorker,
  statusKey,
  statusOf,
  type TestWorker,
  testProject,
} from './helpers/worker.js';

const json = new JsonConverter({ schemasEnable: true });
const encode = (schema: ConnectSchema | null, value: unknown) =>
  Buffer.from(json.fromConnectData('t', schema, value)!);

/**
 * A topic created a moment ago can answer NOT_LEADER for longer than the
 * producer's retries on a loaded machine; a refused send wrote nothing, so it is sent again.
 */
const produce = (topic: string, messages: Parameters<typeof produceOnce>[1]) =>
  waitFor(`records sent to ${topic}`, () => produceOnce(topic, messages).then(() => true), {
    timeoutMs: 60_000,
  });

let db: TestSchema;
let w: TestWorker | undefined;
let project: ProjectSpec | undefined;

beforeEach(async () => {
  db = await testSchema();
});

afterEach(async () => {
  await w?.stop();
  w = undefined;
  project = undefined;
  await db.drop();
});

async function sink(config: Record<string, unknown>, topics: string[], extra: object = {}) {
  project ??= await testProject();
  const name = uniqueName('pg-sink');
  await applyConnector(
    project,
    connectorSpec({
      kind: 'sink',
      name,
      connector: 'postgres',
      topics,
      config: { connection: PG_CONNECTION, ...config },
      ...extra,
    }),
  );
  w ??= await startWorker(project);
  return { project, name };
}

const ALL_TYPES = Schemas.struct({
  id: Schemas.int32(),
  i8: Schemas.int8(),
  i16: Schemas.int16(),
  i64: Schemas.int64(),
  f32: Schemas.float(),
  f64: Schemas.double(),
  flag: Schemas.boolean(),
  name: Schemas.optional(Schemas.string()),
  raw: Schemas.bytes(),
  price: Schemas.decimal(3),
  day: Schemas.date(),
  at: Schemas.time(),
  ts: Schemas.timestamp(),
  tags: Schemas.array(Schemas.string()),
  attrs: Schemas.map(Schemas.string(), Schemas.int32()),
  inner: Schemas.struct({ a: Schemas.int32() }),
});

describe('postgres sink', () => {
  it('creates the table from the schema with every mapped type, writes the values, and adds new fields as columns', async () => {
    const topic = uniqueName('types');
    await createTopic(topic, 1);
    const table = `${db.name}.typed`;
    await sink({ table, 'auto.create': true, 'auto.evolve': true, 'pk.mode': 'kafka' }, [topic]);
    const value = {
      id: 1,
      i8: -8,
      i16: 16000,
      i64: 9007199254740993n,
      f32: 1.5,
      f64: -2.25e-10,
      flag: true,
      name: 'it\'s "quoted" \\ and ünïcode',
      raw: new Uint8Array([0, 1, 254, 255]),
      price: Decimal.parse('-12345.678')!,
      day: new Date('2024-02-29T00:00:00Z'),
      at: new Date('1970-01-01T13:14:15.123Z'),
      ts: new Date('2024-03-01T10:11:12.345Z'),
      tags: ['a', 'b,c'],
      attrs: new Map([['x', 1]]),
      inner: { a: 7 },
    };
    await produce(topic, [
      { value: encode(ALL_TYPES, value) },
      { value: encode(ALL_TYPES, { ...value, id: 2, name: null }) },
    ]);
    await waitFor(
      '2 rows',
      async () => (await db.query(`SELECT 1 FROM ${table}`).catch(() => [])).length === 2,
    );
    const columns = await db.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'typed' ORDER BY ordinal_position`,
      [db.name],
    );
    expect(
      Object.fromEntries(columns.map((c) => [c['column_name'], `${c['data_type']} ${c['is_nullable']}`])),
    ).toEqual({
      id: 'integer NO',
      i8: 'smallint NO',
      i16: 'smallint NO',
      i64: 'bigint NO',
      f32: 'real NO',
      f64: 'double precision NO',
      flag: 'boolean NO',
      name: 'text YES',
      raw: 'bytea NO',
      price: 'numeric NO',
      day: 'date NO',
      at: 'time without time zone NO',
      ts: 'timestamp with time zone NO',
      tags: 'jsonb NO',
      attrs: 'jsonb NO',
      inner: 'jsonb NO',
      __connect_topic: 'text NO',
      __connect_partition: 'integer NO',
      __connect_offset: 'bigint NO',
    });
    const [row] = await db.query(`SELECT * FROM ${table} WHERE id = 1`);
    expect(row).toEqual({
      id: '1',
      i8: '-8',
      i16: '16000',
      i64: '9007199254740993',
      f32: '1.5',
      f64: '-2.25e-10',
      flag: 't',
      name: 'it\'s "quoted" \\ and ünïcode',
      raw: '\\x0001feff',
      price: '-12345.678',
      day: '2024-02-29',
      at: '13:14:15.123',
      ts: '2024-03-01 10:11:12.345+00',
      tags: '["a", "b,c"]',
      attrs: '{"x": 1}',
      inner: '{"a": 7}',
      __connect_topic: topic,
      __connect_partition: '0',
      __connect_offset: '0',
    });
    expect((await db.query(`SELECT name FROM ${table} WHERE id = 2`))[0]).toEqual({ name: null });

    const evolved: ConnectSchema = {
      ...ALL_TYPES,
      fields: [...(ALL_TYPES.fields ?? []), { ...Schemas.optional(Schemas.string()), field: 'extra' }],
    };
    await produce(topic, [{ value: encode(evolved, { ...value, id: 3, extra: 'new' }) }]);
    await waitFor(
      'the evolved row',
      async () =>
        (await db.query(`SELECT extra FROM ${table} WHERE id = 3`).catch(() => []))[0]?.['extra'] === 'new',
    );
  }, 150_000);

  it('upserts by record key: a replay of the whole topic leaves the table as it was; a tombstone deletes the row', async () => {
    const topic = uniqueName('users');
    await createTopic(topic, 1);
    const table = `${db.name}.users`;
    const keySchema = Schemas.struct({ id: Schemas.int64() });
    const valueSchema = Schemas.struct({
      id: Schemas.int64(),
      name: Schemas.string(),
      visits: Schemas.int32(),
    });
    const record = (id: number, name: string, visits: number) => ({
      key: encode(keySchema, { id: BigInt(id) }),
      value: encode(valueSchema, { id: BigInt(id), name, visits }),
    });
    const settings = {
      table,
      'auto.create': true,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'delete.enabled': true,
      'batch.size': 2,
    };
    const messages = [];
    for (let i = 0; i < 50; i++) messages.push(record(i % 10, `user-${i}`, i));
    messages.push({ key: encode(keySchema, { id: 3n }), value: null });
    messages.push({ key: encode(keySchema, { id: 4n }), value: null });
    messages.push(record(4, 'back', 99));
    await produce(topic, messages);
    const { name } = await sink(settings, [topic]);
    const snapshot = () => db.query(`SELECT id, name, visits FROM ${table} ORDER BY id`);
    await waitFor('the last record of each key', async () => {
      const rows = await snapshot().catch(() => []);
      return rows.length === 9 && rows.find((r) => r['id'] === '4')?.['name'] === 'back';
    });
    const first = await snapshot();
    expect(first.map((r) => r['id'])).toEqual(['0', '1', '2', '4', '5', '6', '7', '8', '9']);
    expect(first.find((r) => r['id'] === '9')).toEqual({ id: '9', name: 'user-49', visits: '49' });

    // A sink of another name is another consumer group: it replays every record from the start.
    const replay = await sink(settings, [topic]);
    await waitFor('the replaying sink to commit', async () => {
      const s = await statusOf(replay.project, statusKey.task(replay.name, 0));
      return (s?.metrics?.recordsOut ?? 0) >= messages.length;
    });
    expect(await snapshot()).toEqual(first);
    expect(name).not.toBe(replay.name);
  });

  it('sends rows the table refuses (type, NOT NULL) to the dead letter topic with the database message and writes the rest', async () => {
    const topic = uniqueName('strict');
    const dlq = uniqueName('dlq');
    await createTopic(topic, 1);
    await createTopic(dlq, 1);
    await db.query(`CREATE TABLE ${db.name}.strict (n integer NOT NULL, label text)`);
    const schemaless = { type: 'json', schemas: false, decimalFormat: 'BASE64' } as const;
    await produce(topic, [
      { value: '{"n": 1, "label": "one"}' },
      { value: '{"n": "not a number", "label": "bad"}' },
      { value: '{"n": null, "label": "missing"}' },
      { value: '{"n": 4, "label": "four"}' },
    ]);
    await sink({ table: `${db.name}.strict` }, [topic], {
      value: schemaless,
      errors: { tolerance: 'all', deadLetterTopic: dlq, retries: 0 },
    });
    await waitFor(
      'the good rows',
      async () => (await db.query(`SELECT n FROM ${db.name}.strict`)).length === 2,
    );
    expect(await db.query(`SELECT n, label FROM ${db.name}.strict ORDER BY n`)).toEqual([
      { n: '1', label: 'one' },
      { n: '4', label: 'four' },
    ]);
    const letters = await consume(dlq, 2);
    const byOffset = new Map(letters.map((l) => [l.headers['__connect.errors.offset']?.toString(), l]));
    expect(byOffset.get('1')?.value?.toString()).toBe('{"n": "not a number", "label": "bad"}');
    expect(byOffset.get('1')?.headers['__connect.errors.exception.message']?.toString()).toMatch(
      /invalid input syntax for type integer/,
    );
    expect(byOffset.get('2')?.headers['__connect.errors.exception.message']?.toString()).toMatch(
      /null value in column "n".*violates not-null constraint/,
    );
    expect(byOffset.get('2')?.headers['__connect.errors.stage']?.toString()).toBe('TASK_PUT');
  });

  it('retries a batch whose connection was cut, on a new connection, and skips no record', async () => {
    const topic = uniqueName('cut');
    await createTopic(topic, 1);
    const table = `${db.name}.cut`;
    const keySchema = Schemas.struct({ id: Schemas.int32() });
    const valueSchema = Schemas.struct({ id: Schemas.int32(), n: Schemas.int32() });
    const { name } = await sink(
      { table, 'auto.create': true, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'batch.size': 50 },
      [topic],
      { errors: { tolerance: 'none', retries: 10 } },
    );
    await w!.taskState(name, 0, 'RUNNING');
    const chunk = (c: number) =>
      produce(
        topic,
        Array.from({ length: 300 }, (_, i) => {
          const id = c * 300 + i;
          return { key: encode(keySchema, { id }), value: encode(valueSchema, { id, n: id * 2 }) };
        }),
      );
    const rows = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM ${table}`).catch(() => []))[0]?.['n']);
    const cutSink = async (where: string) => {
      const [terminated] = await db.query(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1 ${where}`,
        [`pipe:${name}`],
      );
      return Number(terminated?.['n']);
    };
    await chunk(0);
    await waitFor('the first 300 rows', async () => (await rows()) === 300);

    // Cut in the middle of a flush: with the table locked, the flush's statement is waiting when cut.
    await db.query('BEGIN');
    await db.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    await chunk(1);
    await waitFor(
      'the sink waiting on the lock',
      async () => (await cutSink("AND wait_event_type = 'Lock'")) > 0,
    );
    await db.query('COMMIT');
    await waitFor('600 rows', async () => (await rows()) === 600, { timeoutMs: 60_000 });
    expect(w!.logs.some((l) => /flush failed .*terminat.*retry 1 of 10/.test(l))).toBe(true);

    // Cut wherever the sink is then, mostly between flushes (the server closes an idle connection): no record is skipped.
    let cut = 0;
    for (let c = 2; c < 10; c++) {
      await chunk(c);
      cut += await cutSink('');
    }
    await waitFor('3000 rows', async () => (await rows()) === 3000, { timeoutMs: 60_000 });
    expect(cut).toBeGreaterThan(0);
    const [check] = await db.query(
      `SELECT min(id) AS lo, max(id) AS hi, bool_and(n = id * 2) AS ok FROM ${table}`,
    );
    expect(check).toEqual({ lo: '0', hi: '2999', ok: 't' });
  });

  it('fails the task naming connector and table when the table is missing and auto.create is off', async () => {
    const topic = uniqueName('nowhere');
    await createTopic(topic, 1);
    await produce(topic, [{ value: encode(Schemas.struct({ a: Schemas.int32() }), { a: 1 }) }]);
    const { name } = await sink({ table: `${db.name}.absent` }, [topic]);
    const failed = await w!.taskState(name, 0, 'FAILED');
    expect(failed.trace).toContain(`connector ${name}: table ${db.name}.absent does not exist`);
  });

  it('fails an unreachable server within its timeout with the reason, after the retries, never printing the password', async () => {
    const topic = uniqueName('unreachable');
    await createTopic(topic, 1);
    process.env['PIPE_TEST_PG_PASSWORD'] = 'hunter2-secret';
    const { name } = await sink(
      {
        connection: {
          host: '127.0.0.1',
          port: 1,
          user: 'postgres',
          database: 'test',
          password: 'hunter2-secret',
        },
        'connection.timeout.ms': 2000,
      },
      [topic],
      { errors: { tolerance: 'none', retries: 1 } },
    );
    const failed = await w!.taskState(name, 0, 'FAILED');
    expect(failed.trace).toMatch(
      new RegExp(
        `connector ${name}: cannot connect to PostgreSQL at postgres@127.0.0.1:1/test: .*ECONNREFUSED`,
      ),
    );
    expect(w!.logs.some((l) => l.includes('start failed') && l.includes('retry 1 of 1'))).toBe(true);
    expect(JSON.stringify([failed, w!.logs])).not.toContain('hunter2-secret');
  });
});
