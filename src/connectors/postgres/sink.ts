/**
 * `postgres` sink: Kafka Connect's JDBC sink for PostgreSQL. Records are put
 * in memory; `flush()` writes them all in one transaction, so the worker
 * commits consumer offsets only for rows that are committed. A lost
 * connection fails the flush whole (the error policy retries it with every
 * row); a row the table refuses (type, NOT NULL, constraint) is reported
 * alone, through errors.tolerance and the dead letter queue, with the
 * database's message.
 */
import type pg from 'pg';
import type { PostgresSinkConfig } from '../../config/types.gen.js';
import { messageOf, PipeError } from '../../errors.js';
import type { SinkRecord, SinkTask, SinkTaskContext } from '../api.js';
import { connect, describeTarget, isConnectionError } from './connection.js';
import { type SinkSettings, sinkSettings } from './sink-config.js';
import { RecordError, RowBuilder, type SinkRow } from './sink-rows.js';
import { type Statement, statements } from './sink-statements.js';
import { prepareTable } from './sink-tables.js';
import { displayName, parseTableName, type TableInfo } from './table.js';

interface TableStatements {
  table: TableInfo;
  statements: Statement[];
}

/** SQLSTATE classes that are about a row's data: 22 data exception, 23 integrity constraint, 42804 datatype mismatch. */
function isRowError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '42804');
}

export class PostgresSinkTask implements SinkTask<PostgresSinkConfig> {
  private settings!: SinkSettings;
  private rows!: RowBuilder;
  private context!: SinkTaskContext;
  private client: pg.Client | undefined;
  private pending: SinkRecord[] = [];
  private readonly tables = new Map<string, TableInfo>();
  private readonly tableByTopic = new Map<string, string>();

  async start(config: PostgresSinkConfig, context: SinkTaskContext): Promise<void> {
    this.context = context;
    this.settings = sinkSettings(config, context.connector);
    this.rows = new RowBuilder(this.settings);
    await this.connection();
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const r of records) this.pending.push(r);
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const db = await this.connection();
    const byTable = new Map<string, SinkRow[]>();
    for (const record of this.pending) {
      let row: SinkRow | null;
      try {
        row = this.rows.row(record);
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        this.context.reportError(record, this.recordError(record, err.message));
        continue;
      }
      if (row === null) continue;
      const table = this.tableOf(record.topic);
      const rows = byTable.get(table);
      if (rows) rows.push(row);
      else byTable.set(table, [row]);
    }
    try {
      const batch: TableStatements[] = [];
      for (const [table, rows] of byTable) batch.push(await this.prepare(db, table, rows));
      if (!(await this.writeAtOnce(db, batch))) await this.writeCarefully(db, batch);
    } catch (err) {
      await this.abandon(db, err);
      throw err;
    }
    // Dropped only once committed: a failed flush is tried again with the same records.
    this.pending = [];
  }

  /** The table of a topic's records, named once per topic rather than once per record. */
  private tableOf(topic: string): string {
    let table = this.tableByTopic.get(topic);
    if (table === undefined) {
      table = this.settings.table.replaceAll('${topic}', topic);
      this.tableByTopic.set(topic, table);
    }
    return table;
  }

  async stop(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = await connect(
      this.settings.connection,
      this.context.connector,
      this.settings.connectTimeoutMs,
    );
    // A connection the server closed between flushes is replaced by the next flush instead of failing it.
    client.once('end', () => this.forget(client));
    this.client = client;
    return client;
  }

  private forget(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.tables.clear();
  }

  /** After a failure: roll back, or forget a connection that broke so the retry opens a new one. */
  private async abandon(db: pg.Client, err: unknown): Promise<void> {
    if (isConnectionError(err)) {
      this.forget(db);
      await db.end().catch(() => undefined);
    } else await db.query('ROLLBACK').catch(() => undefined);
  }

  private async prepare(db: pg.Client, tableText: string, rows: SinkRow[]): Promise<TableStatements> {
    const s = this.settings;
    const table = await prepareTable(db, parseTableName(tableText), rows, this.tables.get(tableText), {
      connector: this.context.connector,
      autoCreate: s.autoCreate,
      autoEvolve: s.autoEvolve,
      needsKey: s.insertMode !== 'insert' || s.deleteEnabled,
    });
    this.tables.set(tableText, table);
    return { table, statements: statements(table, rows, s.insertMode, s.batchSize) };
  }

  /**
   * The batch in as few round trips as the database allows: one statement is
   * atomic alone, more go in one transaction. False when the table refused a
   * row: nothing of the batch is written then, and it goes again carefully.
   */
  private async writeAtOnce(db: pg.Client, batch: TableStatements[]): Promise<boolean> {
    const inTransaction = batch.reduce((n, b) => n + b.statements.length, 0) > 1;
    if (inTransaction) await db.query('BEGIN');
    for (const { table, statements } of batch) {
      for (const statement of statements) {
        try {
          await db.query(statement.text, statement.values);
        } catch (err) {
          if (!isRowError(err)) throw this.tableError(err, table, statement);
          if (inTransaction) await db.query('ROLLBACK');
          return false;
        }
      }
    }
    if (inTransaction) await db.query('COMMIT');
    return true;
  }

  /** The batch in one transaction, each statement under a savepoint so a refused row is found and reported alone. */
  private async writeCarefully(db: pg.Client, batch: TableStatements[]): Promise<void> {
    await db.query('BEGIN');
    for (const { table, statements } of batch) {
      for (const statement of statements) {
        await db.query('SAVEPOINT batch');
        try {
          await db.query(statement.text, statement.values);
          await db.query('RELEASE SAVEPOINT batch');
        } catch (err) {
          if (!isRowError(err)) throw this.tableError(err, table, statement);
          await db.query('ROLLBACK TO SAVEPOINT batch');
          await this.oneByOne(db, table, statement);
        }
      }
    }
    await db.query('COMMIT');
  }

  /** A statement some row of which the table refused: each row alone, the refused ones reported. */
  private async oneByOne(db: pg.Client, table: TableInfo, failed: Statement): Promise<void> {
    for (const row of failed.rows) {
      for (const statement of statements(table, [row], this.settings.insertMode, 1)) {
        await db.query('SAVEPOINT row');
        try {
          await db.query(statement.text, statement.values);
          await db.query('RELEASE SAVEPOINT row');
        } catch (err) {
          if (!isRowError(err)) throw this.tableError(err, table, statement);
          await db.query('ROLLBACK TO SAVEPOINT row');
          const column = (err as { column?: string }).column;
          this.context.reportError(
            row.record,
            this.recordError(
              row.record,
              `${displayName(table.name)}${column ? ` column ${column}` : ''}: ${messageOf(err)}`,
            ),
          );
        }
      }
    }
  }

  private recordError(record: SinkRecord, message: string): PipeError {
    return new PipeError(
      'CONNECTOR_FAILED',
      `connector ${this.context.connector}: record ${record.topic}-${record.partition}@${record.offset}: ${message}`,
    );
  }

  private tableError(err: unknown, table: TableInfo, statement: Statement): unknown {
    if (isConnectionError(err)) return err;
    const column = (err as { column?: string }).column;
    return new PipeError(
      'CONNECTOR_FAILED',
      `connector ${this.context.connector}: writing ${statement.rows.length} rows to table ${displayName(table.name)}${column ? ` column ${column}` : ''} at ${describeTarget(this.settings.connection)} failed: ${messageOf(err)}`,
      { cause: err },
    );
  }
}
