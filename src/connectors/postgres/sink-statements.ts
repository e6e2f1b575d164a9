/**
 * The statements that write a batch of rows to one table, built without
 * touching the database. Each statement takes one array parameter per column
 * and expands them with `unnest`, so a statement of any number of rows has
 * as many parameters as the table has columns (measured against VALUES lists
 * and COPY in docs/CONNECTORS.md).
 */
import pg from 'pg';
import { present } from '../../invariant.js';
import type { SinkSettings } from './sink-config.js';
import type { RowShape, SinkRow } from './sink-rows.js';
import { quoted, type TableInfo } from './table.js';

export interface Statement {
  text: string;
  values: Array<Array<string | null>>;
  rows: SinkRow[];
}

type Mode = SinkSettings['insertMode'];

export function statements(table: TableInfo, rows: SinkRow[], mode: Mode, batchSize: number): Statement[] {
  const out: Statement[] = [];
  for (const run of runs(rows, mode)) {
    for (let i = 0; i < run.length; i += batchSize) {
      const chunk = run.slice(i, i + batchSize);
      const statement = present(chunk[0], 'the first row of a statement').delete
        ? deleteStatement(table, chunk)
        : writeStatement(table, chunk, mode);
      if (statement) out.push(statement);
    }
  }
  return out;
}

/**
 * Rows split where writes and deletes alternate, so statements apply them
 * in record order. Upserts keep only each key's last record of the batch:
 * PostgreSQL refuses to touch one row twice in an ON CONFLICT statement, and
 * the last record is what applying all of them in order leaves behind.
 */
function runs(rows: SinkRow[], mode: Mode): SinkRow[][] {
  if (mode === 'upsert') {
    const last = new Map<string, SinkRow>();
    for (const row of rows) {
      last.delete(row.identity);
      last.set(row.identity, row);
    }
    const kept = [...last.values()];
    return [kept.filter((r) => !r.delete), kept.filter((r) => r.delete)].filter((r) => r.length > 0);
  }
  const out: SinkRow[][] = [];
  for (const row of rows) {
    const current = out.at(-1);
    if (current && current[0]?.delete === row.delete) current.push(row);
    else out.push([row]);
  }
  return out.map((run) =>
    mode === 'update' || present(run[0], 'the first row of a run').delete ? lastPerKey(run) : run,
  );
}

function lastPerKey(run: SinkRow[]): SinkRow[] {
  if (run.length < 2 || present(run[0], 'the first row of a run').shape.keyCount === 0) return run;
  const last = new Map<string, SinkRow>();
  for (const row of run) {
    last.delete(row.identity);
    last.set(row.identity, row);
  }
  return [...last.values()];
}

/** The key columns of the first row, then every value column of the rows in first-seen order. */
function columnsOf(rows: SinkRow[]): { key: string[]; values: string[] } {
  const first = present(rows[0], 'the first row of a statement').shape;
  const key = first.names.slice(0, first.keyCount);
  const values = new Set<string>();
  let shape: RowShape | undefined;
  for (const row of rows) {
    // Rows mostly share one shape: each distinct one is looked at once.
    if (row.shape === shape) continue;
    shape = row.shape;
    for (let i = shape.keyCount; i < shape.names.length; i++) values.add(shape.names[i] as string);
  }
  return { key, values: [...values] };
}

/** One array per column, a row's text at each row's place (null where its shape lacks the column). */
function columnArrays(columns: string[], rows: SinkRow[]): Array<Array<string | null>> {
  const out = columns.map(() => [] as Array<string | null>);
  let shape: RowShape | undefined;
  let places: number[] = [];
  for (const row of rows) {
    if (row.shape !== shape) {
      shape = row.shape;
      const { index } = shape;
      places = columns.map((name) => index.get(name) ?? -1);
    }
    const { texts } = row;
    for (let c = 0; c < places.length; c++) {
      const place = places[c] as number;
      (out[c] as Array<string | null>).push(place < 0 ? null : (texts[place] as string | null));
    }
  }
  return out;
}

function unnest(
  table: TableInfo,
  columns: string[],
  rows: SinkRow[],
): Pick<Statement, 'values'> & { sql: string } {
  const casts = columns.map(
    (name, i) => `$${i + 1}::${present(table.columns.get(name), `column ${name} of the table`).baseType}[]`,
  );
  return { sql: `unnest(${casts.join(', ')})`, values: columnArrays(columns, rows) };
}

const id = (name: string) => pg.escapeIdentifier(name);

/** Undefined for an update that sets nothing: a record with only key fields. */
function writeStatement(table: TableInfo, rows: SinkRow[], mode: Mode): Statement | undefined {
  const { key, values } = columnsOf(rows);
  if (mode === 'update' && values.length === 0) return undefined;
  const all = [...key, ...values];
  const source = unnest(table, all, rows);
  const list = all.map(id).join(', ');
  if (mode === 'update') {
    const alias = `u(${list})`;
    const set = values.map((c) => `${id(c)} = u.${id(c)}`).join(', ');
    const where = key.map((c) => `t.${id(c)} = u.${id(c)}`).join(' AND ');
    return {
      text: `UPDATE ${quoted(table.name)} AS t SET ${set} FROM ${source.sql} AS ${alias} WHERE ${where}`,
      values: source.values,
      rows,
    };
  }
  let text = `INSERT INTO ${quoted(table.name)} (${list}) SELECT * FROM ${source.sql}`;
  if (mode === 'upsert') {
    const conflict = `ON CONFLICT (${key.map(id).join(', ')})`;
    text +=
      values.length === 0
        ? ` ${conflict} DO NOTHING`
        : ` ${conflict} DO UPDATE SET ${values.map((c) => `${id(c)} = EXCLUDED.${id(c)}`).join(', ')}`;
  }
  return { text, values: source.values, rows };
}

function deleteStatement(table: TableInfo, rows: SinkRow[]): Statement {
  const first = present(rows[0], 'the first row of a delete').shape;
  const key = first.names.slice(0, first.keyCount);
  const source = unnest(table, key, rows);
  const where = key.map((c) => `t.${id(c)} = d.${id(c)}`).join(' AND ');
  return {
    text: `DELETE FROM ${quoted(table.name)} AS t USING ${source.sql} AS d(${key.map(id).join(', ')}) WHERE ${where}`,
    values: source.values,
    rows,
  };
}
