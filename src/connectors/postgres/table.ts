/**
 * A table as the catalog describes it (columns, their types, the primary
 * key), and the DDL of `auto.create` / `auto.evolve`.
 */
import pg from 'pg';
import type { ConnectSchema } from '../../converters/index.js';
import { present } from '../../invariant.js';
import { columnTypeOf } from './type-mapping.js';

export interface TableName {
  schema?: string;
  table: string;
}

export interface TableColumn {
  name: string;
  /**
   * The type's own name without modifiers (`pg_catalog.bpchar`, `pg_catalog.numeric`): what a cast
   * to the column needs, which leaves length, precision and scale to the column (a cast to
   * `character` would cut text to one letter).
   */
  baseType: string;
  oid: number;
  typmod: number;
  notNull: boolean;
}

export interface TableInfo {
  name: TableName;
  columns: Map<string, TableColumn>;
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
}

export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, string | null>> }>;
}

/** `schema.table` or `table`; a name quoted in the setting keeps its dots. */
export function parseTableName(text: string): TableName {
  const dot = text.startsWith('"') ? text.indexOf('.', text.indexOf('"', 1)) : text.indexOf('.');
  const unquote = (part: string) => (part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1) : part);
  if (dot < 0) return { table: unquote(text) };
  return { schema: unquote(text.slice(0, dot)), table: unquote(text.slice(dot + 1)) };
}

export function quoted(name: TableName): string {
  const table = pg.escapeIdentifier(name.table);
  return name.schema === undefined ? table : `${pg.escapeIdentifier(name.schema)}.${table}`;
}

export function displayName(name: TableName): string {
  return name.schema === undefined ? name.table : `${name.schema}.${name.table}`;
}

/** The table's columns and key, or undefined when it does not exist. */
export async function describeTable(db: Queryable, name: TableName): Promise<TableInfo | undefined> {
  const { rows } = await db.query(
    `SELECT a.attname AS name, quote_ident(n.nspname) || '.' || quote_ident(t.typname) AS base, a.atttypid::int AS oid,
            a.atttypmod AS typmod, a.attnotnull AS notnull,
            array_position(i.indkey::int2[], a.attnum) AS keypos
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [quoted(name)],
  );
  if (rows.length === 0) return undefined;
  const columns = new Map<string, TableColumn>();
  const key: Array<[number, string]> = [];
  for (const r of rows) {
    const column = {
      name: present(r['name'], 'a column name'),
      baseType: present(r['base'], `the base type of column ${r['name']}`),
      oid: Number(r['oid']),
      typmod: Number(r['typmod']),
      notNull: r['notnull'] === 't',
    };
    columns.set(column.name, column);
    if (r['keypos'] !== null) key.push([Number(r['keypos']), column.name]);
  }
  key.sort((a, b) => a[0] - b[0]);
  return { name, columns, primaryKey: key.map(([, column]) => column) };
}

export interface ColumnDefinition {
  name: string;
  schema: ConnectSchema;
}

export function createTableSql(name: TableName, columns: ColumnDefinition[], key: string[]): string {
  const definitions = columns.map(
    (c) =>
      `${pg.escapeIdentifier(c.name)} ${columnTypeOf(c.schema)}${c.schema.optional && !key.includes(c.name) ? '' : ' NOT NULL'}`,
  );
  if (key.length > 0) definitions.push(`PRIMARY KEY (${key.map((k) => pg.escapeIdentifier(k)).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quoted(name)} (${definitions.join(', ')})`;
}

/** New columns are nullable: rows written before them have none. */
export function addColumnsSql(name: TableName, columns: ColumnDefinition[]): string {
  const adds = columns.map(
    (c) => `ADD COLUMN IF NOT EXISTS ${pg.escapeIdentifier(c.name)} ${columnTypeOf(c.schema)}`,
  );
  return `ALTER TABLE ${quoted(name)} ${adds.join(', ')}`;
}
