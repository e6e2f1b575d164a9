/**
 * `postgres` source: Kafka Connect's JDBC source (query-based) for
 * PostgreSQL. Each table (or the query) is read through a cursor in the
 * order of its mode, fetched ahead in chunks and handed out `batch.max.rows`
 * a poll, and read again `poll.interval.ms` after it was read to its end. A
 * record's source offset is the position of its row, stored by the worker
 * once the broker acknowledged it; a restart continues after the last stored
 * one.
 */
import type pg from 'pg';
import { type ConnectSchema, Schemas } from '../../converters/index.js';
import { PipeError } from '../../errors.js';
import { present } from '../../invariant.js';
import {
  pause,
  type SourcePartition,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../api.js';
import { connect } from './connection.js';
import { type PostgresSourceTaskConfig, type SourceSettings, sourceSettings } from './source-config.js';
import { offsetOf, type Position, positionOf, selectSql } from './source-query.js';
import { describeTable, displayName, parseTableName, quoted } from './table.js';
import { readerOf, schemaOfColumn, timestampMicros } from './type-mapping.js';

interface Column {
  name: string;
  schema: ConnectSchema;
  read: (text: string | null) => unknown;
}

/** One table or the query, and where reading it has got to. */
interface Reader {
  /** The table's name as configured; undefined for the query. */
  table: string | undefined;
  from: string;
  partition: SourcePartition;
  topic: string;
  columns: Column[];
  valueSchema: ConnectSchema;
  /** Names of the primary key's columns; empty without one. */
  keyNames: string[];
  keySchema: ConnectSchema | null;
  incrementingIndex: number;
  timestampIndex: number;
  at: Position;
  nextReadAt: number;
}

/**
 * The query under way: rows fetched from its cursor and not yet handed out.
 * A reader's position moves only as rows are handed out, so the rows here are
 * exactly those after it: dropping them (a stop, a lost connection) loses
 * nothing, the next query reads them again from the position.
 */
interface Query {
  reader: Reader;
  rows: Array<Array<string | null>>;
  next: number;
  /** Whether the cursor (and its transaction) is still open: false once a FETCH came back short. */
  open: boolean;
}

const CURSOR = 'pipe_source';

/**
 * Rows one FETCH reads ahead (or `batch.max.rows` when larger). Each FETCH is
 * a round trip that a poll waits for; a chunk of this size made 300,000 rows
 * at 100 a poll as fast as 1,000 a poll (docs/CONNECTORS.md), while the
 * chunk held in memory stays a few MB.
 */
export const READ_AHEAD_ROWS = 5000;

export class PostgresSourceTask implements SourceTask<PostgresSourceTaskConfig> {
  private settings!: SourceSettings;
  private context!: SourceTaskContext;
  private client: pg.Client | undefined;
  private readers: Reader[] = [];
  private query: Query | undefined;

  async start(config: PostgresSourceTaskConfig, context: SourceTaskContext): Promise<void> {
    this.context = context;
    this.settings = sourceSettings(config, context.connector);
    const db = await this.connection();
    const s = this.settings;
    const targets: Array<string | undefined> = s.query === undefined ? s.tables : [undefined];
    this.readers = [];
    for (const table of targets) this.readers.push(await this.reader(db, table));
  }

  async poll(): Promise<SourceRecord[]> {
    const { signal } = this.context;
    while (!signal.aborted) {
      try {
        if (!this.query) {
          const next = this.readers.reduce((a, b) => (b.nextReadAt < a.nextReadAt ? b : a));
          const wait = next.nextReadAt - Date.now();
          if (wait > 0) {
            await pause(Math.min(wait, 1000), signal);
            return [];
          }
          await this.open(next);
        }
        const query = present(this.query, 'the query under way');
        if (query.next === query.rows.length && query.open) await this.fetch(query);
        const end = Math.min(query.rows.length, query.next + this.settings.batchMaxRows);
        const records: SourceRecord[] = [];
        for (let i = query.next; i < end; i++)
          records.push(this.record(query.reader, query.rows[i] as Array<string | null>));
        query.next = end;
        if (end === query.rows.length && !query.open) {
          this.query = undefined;
          query.reader.nextReadAt = Date.now() + this.settings.pollIntervalMs;
        }
        if (records.length > 0) return records;
      } catch (err) {
        // The cursor and its transaction are gone with the error: the retry reconnects and reads on from `at`.
        await this.drop();
        throw err;
      }
    }
    return [];
  }

  async stop(): Promise<void> {
    await this.drop();
  }

  /**
   * Declares the reader's cursor in a transaction of its own (READ COMMITTED,
   * the server's default). The cursor's snapshot is held until it is read to
   * its end, as the JDBC source's open ResultSet holds one: reading ahead
   * only ends it sooner, the last chunk's COMMIT coming before its rows are
   * handed out. Rows committed meanwhile are read by the next query, which
   * starts after the position of the last row handed out.
   */
  private async open(reader: Reader): Promise<void> {
    const db = await this.connection();
    const select = selectSql(reader.from, this.modeColumns(), reader.at);
    await db.query('BEGIN');
    await db.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${select.text}`, select.values);
    this.query = { reader, rows: [], next: 0, open: true };
  }

  private async fetch(query: Query): Promise<void> {
    const db = await this.connection();
    const chunk = Math.max(READ_AHEAD_ROWS, this.settings.batchMaxRows);
    const { rows } = await db.query<Array<string | null>>({
      text: `FETCH ${chunk} FROM ${CURSOR}`,
      rowMode: 'array',
    });
    query.rows = rows;
    query.next = 0;
    if (rows.length < chunk) {
      await db.query('COMMIT');
      query.open = false;
    }
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.query = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = await connect(
      this.settings.connection,
      this.context.connector,
      this.settings.connectTimeoutMs,
    );
    // A connection the server closed between polls is replaced by the next poll instead of failing it.
    client.once('end', () => {
      if (this.client !== client) return;
      this.client = undefined;
      // Rows already fetched are still the ones after the position; an open cursor's are not all there.
      if (this.query?.open) this.query = undefined;
    });
    this.client = client;
    return client;
  }

  private modeColumns() {
    const s = this.settings;
    return {
      mode: s.mode,
      ...(s.incrementingColumn === undefined ? {} : { incrementing: s.incrementingColumn }),
      ...(s.timestampColumn === undefined ? {} : { timestamp: s.timestampColumn }),
      timestampDelayMs: s.timestampDelayMs,
    };
  }

  private async reader(db: pg.Client, table: string | undefined): Promise<Reader> {
    const connector = this.context.connector;
    const name = table === undefined ? undefined : parseTableName(table);
    const what = name ? `table ${displayName(name)}` : 'query';
    const info = name ? await describeTable(db, name) : undefined;
    if (name && !info)
      throw new PipeError('CONNECTOR_CONFIG', `connector ${connector}: ${what} does not exist`);
    const from = name ? quoted(name) : `(${this.settings.query}) AS q`;
    const probe = await db.query({ text: `SELECT * FROM ${from} LIMIT 0`, rowMode: 'array' });
    const columns: Column[] = [];
    for (const field of probe.fields) {
      const schema = schemaOfColumn({
        oid: field.dataTypeID,
        typmod: field.dataTypeModifier,
        optional: !info?.columns.get(field.name)?.notNull,
      });
      if (!schema) {
        const { rows } = await db.query('SELECT format_type($1, $2) AS type', [
          field.dataTypeID,
          field.dataTypeModifier,
        ]);
        throw new PipeError(
          'CONNECTOR_CONFIG',
          `connector ${connector}: ${what} column ${field.name} has type ${String(rows[0]?.['type'])}, which pipe cannot map to a Connect type`,
          { meta: { hint: 'leave the column out with a query, or cast it (to text, for one) in the query' } },
        );
      }
      columns.push({ name: field.name, schema, read: readerOf(schema) });
    }
    const indexOf = (column: string | undefined, setting: string) => {
      if (column === undefined) return -1;
      const i = columns.findIndex((c) => c.name === column);
      if (i < 0)
        throw new PipeError(
          'CONNECTOR_CONFIG',
          `connector ${connector}: ${what} has no column ${column} (${setting})`,
        );
      return i;
    };
    const s = this.settings;
    const keyIndexes = (info?.primaryKey ?? []).map((k) => indexOf(k, 'primary key'));
    const partition = table !== undefined ? { table } : { query: 'query' };
    const stored = await this.context.offset(partition);
    return {
      table,
      from,
      partition,
      topic: s.topicOf(name?.table ?? table),
      columns,
      valueSchema: Schemas.struct(
        columns.map((c) => [c.name, c.schema] as const),
        name ? { name: name.table } : {},
      ),
      keyNames: keyIndexes.map((i) => present(columns[i], `primary key column ${i}`).name),
      keySchema:
        keyIndexes.length === 0
          ? null
          : Schemas.struct(
              keyIndexes.map((i) => {
                const column = present(columns[i], `primary key column ${i}`);
                return [column.name, column.schema] as const;
              }),
            ),
      incrementingIndex: indexOf(
        s.mode.includes('incrementing') ? s.incrementingColumn : undefined,
        'incrementing.column',
      ),
      timestampIndex: indexOf(
        s.mode.startsWith('timestamp') ? s.timestampColumn : undefined,
        'timestamp.column',
      ),
      at: positionOf(stored),
      nextReadAt: 0,
    };
  }

  /**
   * The incrementing or timestamp column's text in a row. A NULL there is the
   * table's data, not a broken guarantee: the position cannot move past it.
   */
  private modeValue(reader: Reader, row: Array<string | null>, index: number, setting: string): string {
    const text = row[index];
    if (text === null || text === undefined) {
      const column = reader.columns[index]?.name ?? String(index);
      const what = reader.table === undefined ? 'query' : `table ${reader.table}`;
      throw new PipeError(
        'CONNECTOR_CONFIG',
        `connector ${this.context.connector}: ${what} has a row with NULL in column ${column} (${setting})`,
        { meta: { hint: `make ${column} NOT NULL, or leave such rows out with a query` } },
      );
    }
    return text;
  }

  private record(reader: Reader, row: Array<string | null>): SourceRecord {
    const { columns } = reader;
    const value: Record<string, unknown> = {};
    // Indexed loops: this runs for every column of every row, and entries() made a pair for each.
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as Column;
      value[column.name] = column.read(row[i] ?? null);
    }
    let key: Record<string, unknown> | null = null;
    if (reader.keySchema) {
      key = {};
      for (const name of reader.keyNames) key[name] = value[name];
    }
    if (reader.incrementingIndex >= 0) {
      const text = this.modeValue(reader, row, reader.incrementingIndex, 'incrementing.column');
      const read = value[(columns[reader.incrementingIndex] as Column).name];
      reader.at.incrementing = typeof read === 'bigint' ? read : BigInt(text);
    }
    if (reader.timestampIndex >= 0)
      reader.at.timestampMicros = timestampMicros(
        this.modeValue(reader, row, reader.timestampIndex, 'timestamp.column'),
      );
    return {
      sourcePartition: reader.partition,
      sourceOffset: offsetOf(this.settings.mode, reader.at),
      topic: reader.topic,
      keySchema: reader.keySchema,
      key,
      valueSchema: reader.valueSchema,
      value,
    };
  }
}
