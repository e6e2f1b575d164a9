/**
 * `postgres` source: Kafka Connect's JDBC source (query-based) for
 * PostgreSQL. Each table (or the query) is read through a cursor in the
 * order of its mode, `batch.max.rows` a poll, and read again
 * `poll.interval.ms` after it was read to its end. A record's source offset
 * is the position of its row, stored by the worker once the broker
 * acknowledged it; a restart continues after the last stored one.
 */
import type pg from 'pg';
import type { PostgresSourceConfig } from '../../config/types.gen.js';
import { type ConnectSchema, Schemas } from '../../converters/index.js';
import { PipeError } from '../../errors.js';
import { present } from '../../invariant.js';
import {
  pause,
  type SourceConnector,
  type SourcePartition,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../api.js';
import { connect } from './connection.js';
import {
  type PostgresSourceTaskConfig,
  type SourceSettings,
  sourceSettings,
  sourceTaskConfigs,
} from './source-config.js';
import { offsetOf, type Position, positionOf, selectSql } from './source-query.js';
import { describeTable, displayName, parseTableName, quoted } from './table.js';
import { readerOf, schemaOfColumn, timestampMicros } from './type-mapping.js';

export const postgresSource: SourceConnector<PostgresSourceConfig, PostgresSourceTaskConfig> = {
  kind: 'source',
  type: 'postgres',
  taskConfigs: sourceTaskConfigs,
  createTask: () => new PostgresSourceTask(),
};

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

const CURSOR = 'pipe_source';

class PostgresSourceTask implements SourceTask<PostgresSourceTaskConfig> {
  private settings!: SourceSettings;
  private context!: SourceTaskContext;
  private client: pg.Client | undefined;
  private readers: Reader[] = [];
  /** The reader whose cursor is open, inside a transaction. */
  private reading: Reader | undefined;

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
      const db = await this.connection();
      try {
        if (!this.reading) {
          const next = this.readers.reduce((a, b) => (b.nextReadAt < a.nextReadAt ? b : a));
          const wait = next.nextReadAt - Date.now();
          if (wait > 0) {
            await pause(Math.min(wait, 1000), signal);
            return [];
          }
          const select = selectSql(next.from, this.modeColumns(), next.at);
          await db.query('BEGIN');
          await db.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${select.text}`, select.values);
          this.reading = next;
        }
        const reader = this.reading;
        const { rows } = await db.query<string[]>({
          text: `FETCH ${this.settings.batchMaxRows} FROM ${CURSOR}`,
          rowMode: 'array',
        });
        if (rows.length < this.settings.batchMaxRows) {
          await db.query('COMMIT');
          this.reading = undefined;
          reader.nextReadAt = Date.now() + this.settings.pollIntervalMs;
        }
        if (rows.length > 0) return rows.map((row) => this.record(reader, row));
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

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.reading = undefined;
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
      this.reading = undefined;
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
