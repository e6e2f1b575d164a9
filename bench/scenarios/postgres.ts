/**
 * postgres-source and postgres-sink: pipe's `postgres` connectors against
 * the machine's own ceiling, `psql \copy` of the same rows out of (into) the
 * same table, measured in the same run.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTopicsAndWait } from '../../src/kafka/create-topics.js';
import type { RowJob } from '../clients/row-producer.js';
import { runConsumerPerformance } from '../consumer-performance.js';
import type { BenchContext } from '../context.js';
import { type Throughput, watch, watchTopic } from '../measure.js';
import { producerCeiling, startScript } from '../peers.js';
import { JSON_WITH_SCHEMAS, topicDecl, withPipeWorker } from '../pipe-runs.js';
import {
  type BenchDb,
  benchDb,
  PG_URL,
  postgresReachable,
  psqlCopy,
  ROW_SQL,
  rowRecord,
  TABLE_COLUMNS,
} from '../postgres.js';
import { NotMeasured, type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';
import { benchTopic, createBenchTopic, deleteBenchTopics, withAdmin } from '../topics.js';

const SOURCE_BATCH_ROWS = 10_000;

async function measured(ctx: BenchContext, name: string, fn: () => Promise<number>): Promise<number | null> {
  try {
    const perSecond = Math.round(await fn());
    ctx.log(`  ${name}: ${perSecond} rows/s`);
    return perSecond;
  } catch (err) {
    if (!(err instanceof NotMeasured)) throw err;
    ctx.log(`  ${name}: not measured: ${err.message}`);
    return null;
  }
}

async function requirePostgres(): Promise<void> {
  const reason = await postgresReachable();
  if (reason) throw new Error(`PostgreSQL at 127.0.0.1:5432 is not reachable (${reason}); .ci/run starts it`);
}

async function pipeSource(ctx: BenchContext, db: BenchDb, table: string, run: number): Promise<number> {
  const records = ctx.sizes.records;
  const topic = benchTopic('pg-source', 'pipe', run);
  try {
    return await withPipeWorker(
      ctx,
      'bench-postgres-source',
      {
        'postgres-source': {
          topics: { [topic]: topicDecl() },
          sources: {
            [`bench-pg-source-${Date.now().toString(36)}`]: {
              connector: 'postgres',
              topic,
              config: {
                connection: PG_URL,
                tables: [`${db.schema}.${table}`],
                mode: 'incrementing',
                'incrementing.column': 'id',
                'batch.max.rows': SOURCE_BATCH_ROWS,
              },
              value: JSON_WITH_SCHEMAS,
              key: JSON_WITH_SCHEMAS,
            },
          },
        },
      },
      async (r) => (await watchTopic(ctx.kafka, topic, records, r.watchOptions)).perSecond,
    );
  } finally {
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
}

/** The producer alone sending the rows' records, serialized beforehand, in requests of `batch`. */
async function producerAlone(
  ctx: BenchContext,
  run: number,
  name: string,
  shape: { batch: number; inFlight: number },
): Promise<number> {
  const records = ctx.sizes.records;
  const topic = benchTopic('pg-source', name, run);
  try {
    await createBenchTopic(ctx.kafka, topic);
    const producer = startScript(ROW_PRODUCER, 'row producer', {
      brokers: ctx.brokers,
      topic,
      records,
      ...shape,
    } satisfies RowJob);
    const { perSecond } = await watchTopic(ctx.kafka, topic, records, { failure: producer.failure });
    await producer.done;
    return perSecond;
  } finally {
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
}

/** Kafka's own producer tool sending records of the rows' size: the topic side's ceiling without pipe's client. */
async function javaProducer(ctx: BenchContext, run: number): Promise<number> {
  const topic = benchTopic('pg-source', 'producer-perf', run);
  try {
    await createBenchTopic(ctx.kafka, topic);
    return (await producerCeiling(ctx, topic, ctx.sizes.records, rowRecordBytes(ctx.sizes.records)))
      .throughput.perSecond;
  } finally {
    await deleteBenchTopics(ctx.kafka, [topic]);
  }
}

/** A middle row's key and value bytes: ids grow by a digit or two over the table, the rest is fixed. */
function rowRecordBytes(rows: number): number {
  const { key, value } = rowRecord(Math.floor(rows / 2));
  return Buffer.byteLength(key) + Buffer.byteLength(value);
}

const ROW_PRODUCER = fileURLToPath(new URL('../clients/row-producer.js', import.meta.url));

/** pipe's request shape: its source pipeline's 400 records a request, one request at a time. */
const PIPE_REQUESTS = { batch: 400, inFlight: 1 };
/** What the client does when nothing bounds duplicates: 1,000-record requests (about 670 KB), 4 at a time. */
const FREE_REQUESTS = { batch: 1000, inFlight: 4 };

export const postgresSource: Scenario = {
  name: 'postgres-source',
  title: 'PostgreSQL table → topic (JsonConverter with schemas)',
  method: (ctx) =>
    [
      `A table of ${ctx.sizes.records.toLocaleString('en')} rows (\`${TABLE_COLUMNS}\`), made once by the server.`,
      `- **pipe**: one \`connector: postgres\` source, \`mode: incrementing\` on \`id\`, \`batch.max.rows: ${SOURCE_BATCH_ROWS}\`, key and value JSON with schemas, into a new topic of 1 partition; \`pipe apply\`, then \`pipe run\`, timed by the topic's high watermark from the first record to the last.`,
      '- **ceiling**: `psql -c "\\copy <table> TO <file> CSV"` of the same table, timed around the whole command.',
      `- **producer alone**: the same records (key and value bytes as pipe writes them), serialized before the clock starts, sent in its own Node process to a new topic of 1 partition, acks=all: in pipe's request shape through pipe's own data producer (\`src/kafka/data-producer.ts\`: ${PIPE_REQUESTS.batch} records a request, one at a time, idempotent) and unbounded through @platformatic/kafka alone with its own encoder (${FREE_REQUESTS.batch} a request, ${FREE_REQUESTS.inFlight} at a time, not idempotent); timed like pipe. The topic side's ceiling for exactly these records, with nothing read or converted.`,
      `- **ProducerPerformance**: Kafka's own producer tool (defaults as in file-source) sending ${ctx.sizes.records.toLocaleString('en')} values of ${rowRecordBytes(ctx.sizes.records)} bytes, the size of a row's key and value together: the same ceiling measured without pipe's client.`,
      "The figure is rows per second; the ratio is pipe / `\\copy`, except for `vs producer alone`: pipe / the producer alone in pipe's request shape, the fraction of the reachable ceiling pipe reaches.",
    ].join('\n'),
  async run(ctx) {
    await requirePostgres();
    const db = await benchDb();
    const runs: RunFigures[] = [];
    const vsAlone: RunFigures[] = [];
    const aloneRuns: RunFigures[] = [];
    const freeRuns: RunFigures[] = [];
    const javaRuns: RunFigures[] = [];
    try {
      const n = ctx.sizes.records;
      await db.query(`CREATE TABLE ${db.schema}.source (${TABLE_COLUMNS})`);
      await db.query(`INSERT INTO ${db.schema}.source ${ROW_SQL} FROM generate_series(0, ${n - 1}) g`);
      await db.query(`VACUUM ANALYZE ${db.schema}.source`);
      for (let i = 0; i < ctx.sizes.runs; i++) {
        ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
        const file = join(ctx.workDir, `pg-source-${i}.csv`);
        const copy = await measured(ctx, '\\copy TO', () =>
          psqlCopy(`\\copy ${db.schema}.source TO '${file}' CSV`, n),
        );
        const pipe = await measured(ctx, 'pipe', () => pipeSource(ctx, db, 'source', i));
        const alone = await measured(ctx, 'producer alone, pipe requests', () =>
          producerAlone(ctx, i, 'alone', PIPE_REQUESTS),
        );
        const free = await measured(ctx, 'producer alone, unbounded', () =>
          producerAlone(ctx, i, 'free', FREE_REQUESTS),
        );
        const java = await measured(ctx, 'ProducerPerformance', () => javaProducer(ctx, i));
        runs.push(runFigures(pipe, copy));
        javaRuns.push(runFigures(java, copy));
        vsAlone.push(runFigures(pipe, alone));
        aloneRuns.push(runFigures(alone, copy));
        freeRuns.push(runFigures(free, copy));
      }
    } finally {
      await db.close();
    }
    const peerName = 'psql \\copy … TO';
    const unit = 'rows/s';
    return [
      row({ name: 'postgres-source', unit, better: 'higher', peerName, runs }),
      row({
        name: 'postgres-source vs producer alone',
        unit,
        better: 'higher',
        peerName: 'the same records, producer alone, pipe requests',
        runs: vsAlone,
        note: "ratio: the fraction of the topic side's ceiling for these records pipe reaches",
      }),
      row({
        name: `postgres-source producer alone, ${PIPE_REQUESTS.batch}-record requests, 1 in flight`,
        unit,
        better: 'higher',
        peerName,
        runs: aloneRuns,
        note: "pipe's data producer in pipe's request shape, nothing read or converted: the ceiling of the pipe row",
      }),
      row({
        name: `postgres-source producer alone, ${FREE_REQUESTS.batch}-record requests, ${FREE_REQUESTS.inFlight} in flight`,
        unit,
        better: 'higher',
        peerName,
        runs: freeRuns,
        note: "@platformatic/kafka alone with its own encoder, unbounded by pipe's duplicate bound",
      }),
      row({
        name: `postgres-source ProducerPerformance, ${rowRecordBytes(ctx.sizes.records)}-byte records`,
        unit,
        better: 'higher',
        peerName,
        runs: javaRuns,
        note: "Kafka's own producer with the rows' record size: the topic side's ceiling without pipe's client",
      }),
    ];
  },
};

/** The topic the sink reads: a struct value and a struct key `{id}` per row, written with a plain producer. */
async function fillTopic(ctx: BenchContext, topic: string): Promise<void> {
  const n = ctx.sizes.records;
  // Waits until the broker answering knows the partition's leader, which a loaded machine makes slow.
  await withAdmin(ctx.kafka, (admin) =>
    createTopicsAndWait(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]),
  );
  const producer = ctx.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    // A request stays under the broker's message.max.bytes (1 MiB): about 600 bytes a record.
    const batch = 1000;
    for (let start = 0; start < n; start += batch) {
      const messages = [];
      for (let id = start; id < Math.min(n, start + batch); id++) {
        messages.push(rowRecord(id));
      }
      await producer.send({ topic, acks: 1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Rows per second into `table`: ids arrive in order and each batch commits whole, so max(id) + 1 counts them. */
function watchTable(
  db: BenchDb,
  table: string,
  target: number,
  failure?: () => string | undefined,
): Promise<Throughput> {
  return watch(
    `table ${table}`,
    async () => Number((await db.query(`SELECT coalesce(max(id) + 1, 0) AS n FROM ${table}`))[0]?.['n'] ?? 0),
    target,
    failure ? { failure } : {},
  );
}

async function pipeSink(
  ctx: BenchContext,
  db: BenchDb,
  topic: string,
  table: string,
  mode: 'insert' | 'upsert',
): Promise<number> {
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`CREATE TABLE ${table} (${TABLE_COLUMNS})`);
  return withPipeWorker(
    ctx,
    `bench-postgres-sink-${mode}`,
    {
      'postgres-sink': {
        sinks: {
          [`bench-pg-sink-${mode}-${Date.now().toString(36)}`]: {
            connector: 'postgres',
            topics: [topic],
            config: { connection: PG_URL, table, 'insert.mode': mode, 'pk.mode': 'record_key' },
            value: JSON_WITH_SCHEMAS,
            key: JSON_WITH_SCHEMAS,
          },
        },
      },
    },
    async (r) => (await watchTable(db, table, ctx.sizes.records, r.watchOptions.failure)).perSecond,
  );
}

export const postgresSink: Scenario = {
  name: 'postgres-sink',
  title: 'topic → PostgreSQL table, insert and upsert',
  method: (ctx) =>
    [
      `One topic of 1 partition holding ${ctx.sizes.records.toLocaleString('en')} records: key \`{id}\`, value \`{id, name, amount: Decimal(2), at: Timestamp}\`, JsonConverter with schemas, written once before the runs; the same rows as a CSV file for the ceiling.`,
      '- **pipe insert / upsert**: one `connector: postgres` sink, `pk.mode: record_key`, `insert.mode: insert` or `upsert`, default `batch.size`, into an empty table with a primary key on `id`; timed by `max(id) + 1` of the table, sampled every 50 ms, from the first row to the last.',
      '- **ceiling**: `psql -c "\\copy <table> FROM <file> CSV"` of the same rows into an empty table of the same definition, timed around the whole command.',
      "- **ConsumerPerformance**: Kafka's own consumer tool reading the whole topic in a new group, records read and dropped; its own fetch figure (group join left out): the topic side's ceiling for these records.",
      'The figure is rows per second; the ratio is pipe / `\\copy`, and ConsumerPerformance / `\\copy` for its row.',
    ].join('\n'),
  async run(ctx) {
    await requirePostgres();
    const db = await benchDb();
    const topic = benchTopic('pg-sink', 'input', 0);
    const insertRuns: RunFigures[] = [];
    const upsertRuns: RunFigures[] = [];
    const readRuns: RunFigures[] = [];
    try {
      const n = ctx.sizes.records;
      ctx.log(`  filling ${topic} with ${n} records`);
      await fillTopic(ctx, topic);
      const csv = join(ctx.workDir, 'pg-sink.csv');
      await psqlCopy(`\\copy (${ROW_SQL} FROM generate_series(0, ${n - 1}) g) TO '${csv}' CSV`, n);
      for (let i = 0; i < ctx.sizes.runs; i++) {
        ctx.log(` run ${i + 1}/${ctx.sizes.runs}`);
        const ceilingTable = `${db.schema}.copy_${i}`;
        await db.query(`CREATE TABLE ${ceilingTable} (${TABLE_COLUMNS})`);
        const copy = await measured(ctx, '\\copy FROM', () =>
          psqlCopy(`\\copy ${ceilingTable} FROM '${csv}' CSV`, n),
        );
        await db.query(`DROP TABLE ${ceilingTable}`);
        const insert = await measured(ctx, 'pipe insert', () =>
          pipeSink(ctx, db, topic, `${db.schema}.insert_${i}`, 'insert'),
        );
        await db.query(`DROP TABLE ${db.schema}.insert_${i}`);
        const upsert = await measured(ctx, 'pipe upsert', () =>
          pipeSink(ctx, db, topic, `${db.schema}.upsert_${i}`, 'upsert'),
        );
        await db.query(`DROP TABLE ${db.schema}.upsert_${i}`);
        const read = await measured(ctx, 'ConsumerPerformance', async () => {
          const summary = await runConsumerPerformance({
            brokers: ctx.brokers,
            topic,
            records: n,
            version: ctx.kafkaVersion,
          });
          return summary.fetchRecordsPerSec;
        });
        insertRuns.push(runFigures(insert, copy));
        upsertRuns.push(runFigures(upsert, copy));
        readRuns.push(runFigures(read, copy));
      }
    } finally {
      await deleteBenchTopics(ctx.kafka, [topic]);
      await db.close();
    }
    const peerName = 'psql \\copy … FROM';
    return [
      row({ name: 'postgres-sink insert', unit: 'rows/s', better: 'higher', peerName, runs: insertRuns }),
      row({ name: 'postgres-sink upsert', unit: 'rows/s', better: 'higher', peerName, runs: upsertRuns }),
      row({
        name: 'postgres-sink ConsumerPerformance, the topic read alone',
        unit: 'rows/s',
        better: 'higher',
        peerName,
        runs: readRuns,
        note: "Kafka's own consumer reading the sink's records and dropping them: the topic side's ceiling",
      }),
    ];
  },
};
