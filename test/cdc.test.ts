/**
 * Change data capture end to end on the real thing: a private PostgreSQL with
 * wal_level=logical, a two-worker Kafka Connect cluster with Debezium's
 * PostgreSQL connector installed as a plugin, and a pipe project declaring
 * the CDC topic, the Debezium source on the cluster and a file sink. Rows
 * inserted, updated and deleted arrive in the topic and in the sink; the plan
 * after apply is empty; destroy removes both connectors and the source's
 * offsets, and leaves a connector pipe does not manage alone.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { loadDesiredState } from '../src/config/load.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { planProject } from '../src/plan/index.js';
import { hasChanges } from '../src/plan/model.js';
import { rest, startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { type PrivatePostgres, startPrivatePostgres } from './helpers/private-postgres.js';

let cluster: TestCluster;
let db: PrivatePostgres;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-cdc-'));
  // Each assigned as it starts, so afterAll stops whichever started when the other fails.
  await Promise.all([
    startPrivatePostgres().then((started) => {
      db = started;
    }),
    startTestCluster({ plugins: ['debezium-postgres'] }).then((started) => {
      cluster = started;
    }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([cluster?.stop(), db?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

interface ChangeEvent {
  op: 'r' | 'c' | 'u' | 'd';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The sink file: one Debezium envelope per line (JSON without schemas, written as text). */
async function sinkEvents(file: string): Promise<ChangeEvent[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ChangeEvent);
}

describe('PostgreSQL change data capture with Debezium on a Kafka Connect runtime', () => {
  it('carries inserts, updates and deletes to the topic and the sink; destroy cleans up only what pipe manages', async () => {
    const name = uniqueName('cdc');
    const root = join(dir, name);
    const prefix = name.replaceAll('-', '_');
    const topic = `${prefix}.public.orders`;
    const source = `${name}-orders-cdc`;
    const sink = `${name}-orders-file`;
    const out = join(root, 'orders.jsonl');
    await mkdir(join(root, 'pipelines'), { recursive: true });
    await writeFile(
      join(root, 'pipeline.config.yaml'),
      `project: ${name}
kafka: { brokers: ["${brokers()}"] }
runtimes:
  cluster:
    type: connect
    urls: [${cluster.urls.map((u) => `"${u}"`).join(', ')}]
    providers: { env: env, file: file, dir: dir }
    deadlineMs: 60000
runtime: cluster
`,
    );
    await writeFile(
      join(root, 'pipelines', 'cdc.yaml'),
      `topics:
  ${topic}: { partitions: 1 }
sources:
  ${source}:
    connector: connect:io.debezium.connector.postgresql.PostgresConnector
    key: { converter: json, schemas: false }
    value: { converter: json, schemas: false, decimalFormat: NUMERIC }
    config:
      database.hostname: ${db.host}
      database.port: ${db.port}
      database.user: ${db.user}
      database.dbname: ${db.database}
      topic.prefix: ${prefix}
      plugin.name: pgoutput
      slot.name: ${prefix}_slot
      publication.name: ${prefix}_pub
      publication.autocreate.mode: filtered
      table.include.list: public.orders
      tombstones.on.delete: false
sinks:
  ${sink}:
    connector: file
    topics: [${topic}]
    key: { converter: string }
    value: { converter: string }
    config: { file: ${out} }
`,
    );
    await db.query('CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2))');
    // Updates and deletes carry the whole old row, not just the key.
    await db.query('ALTER TABLE orders REPLICA IDENTITY FULL');
    await db.query("INSERT INTO orders VALUES (1, 'ada', 12.50)");

    const load = async () => (await loadDesiredState(root)).desired;
    const applied = await applyProject(await load(), { autoApprove: true, waitTimeoutMs: 120_000 });
    expect(applied.wait).toEqual({ kind: 'running', connectors: [source, sink] });
    expect(hasChanges(await planProject(await load()))).toBe(false);

    // The snapshot's row in the sink: the connector streams from here on.
    await waitFor('the snapshot row in the sink file', async () => (await sinkEvents(out)).length >= 1, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    await db.query("INSERT INTO orders VALUES (2, 'grace', 99.99)");
    await db.query("UPDATE orders SET customer = 'grace hopper' WHERE id = 2");
    await db.query('DELETE FROM orders WHERE id = 1');

    const events = await waitFor(
      'four change events in the sink file',
      async () => {
        const seen = await sinkEvents(out);
        return seen.length >= 4 ? seen : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(events.map((e) => [e.op, e.before, e.after])).toEqual([
      ['r', null, { id: 1, customer: 'ada', amount: 12.5 }],
      ['c', null, { id: 2, customer: 'grace', amount: 99.99 }],
      ['u', { id: 2, customer: 'grace', amount: 99.99 }, { id: 2, customer: 'grace hopper', amount: 99.99 }],
      ['d', { id: 1, customer: 'ada', amount: 12.5 }, null],
    ]);
    // The same four events in the topic, keyed by the row's primary key.
    const records = await readTopicToEnd(kafka(), topic);
    expect(
      records.map((r) => [
        JSON.parse(r.key?.toString() ?? 'null'),
        JSON.parse(r.value?.toString() ?? 'null').op,
      ]),
    ).toEqual([
      [{ id: 1 }, 'r'],
      [{ id: 2 }, 'c'],
      [{ id: 2 }, 'u'],
      [{ id: 1 }, 'd'],
    ]);
    expect(hasChanges(await planProject(await load()))).toBe(false);

    const unmanaged = uniqueName('unmanaged');
    await rest(cluster.urls[0]!, 'PUT', `/connectors/${unmanaged}/config`, {
      'connector.class': 'FileStreamSinkConnector',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      topics: topic,
      file: join(root, 'unmanaged.txt'),
    });
    const destroyed = await applyProject(await load(), {
      autoApprove: true,
      waitTimeoutMs: 120_000,
      destroy: true,
      allowDelete: true,
    });
    expect(destroyed.plan.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual([
      `delete sink.${sink}`,
      `delete source.${source}`,
      `delete topic.${topic}`,
    ]);
    const left = (await rest(cluster.urls[0]!, 'GET', '/connectors')).body as string[];
    expect(left).toContain(unmanaged);
    expect(left).not.toContain(source);
    expect(left).not.toContain(sink);
    // The source's offsets are gone from the cluster's offsets topic: its last record under the name is a tombstone.
    const offsets = await readTopicToEnd(kafka(), cluster.workers[0]!.topics.offsets);
    const mine = offsets.filter((r) => {
      const key = JSON.parse(r.key?.toString() ?? 'null') as unknown;
      return Array.isArray(key) && key[0] === source;
    });
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.at(-1)?.value).toBeNull();
    // Connect leaves Debezium's replication slot behind, holding WAL: the plan said so, and it is true.
    const deleted = destroyed.plan.changes.find((c) => c.address === `source.${source}`);
    expect(deleted?.notes).toContain('replication_slot_kept');
    const slots = await db.query('SELECT slot_name FROM pg_replication_slots');
    expect(slots.map((r) => r['slot_name'])).toContain(`${prefix}_slot`);
    await rest(cluster.urls[0]!, 'DELETE', `/connectors/${unmanaged}`);
  }, 400_000);
});
