/**
 * The table a batch goes to, made ready for its rows: created when missing
 * (`auto.create`), given the columns it lacks (`auto.evolve`), or refused
 * with an error naming the connector, table and column.
 */
import { PipeError } from '../../errors.js';
import { present } from '../../invariant.js';
import type { RowShape, SinkRow } from './sink-rows.js';
import {
  addColumnsSql,
  type ColumnDefinition,
  createTableSql,
  describeTable,
  displayName,
  type Queryable,
  type TableInfo,
  type TableName,
} from './table.js';

export interface TableOptions {
  connector: string;
  autoCreate: boolean;
  autoEvolve: boolean;
  /** upsert, update and delete find rows by key: the table needs one. */
  needsKey: boolean;
}

export async function prepareTable(
  db: Queryable,
  name: TableName,
  rows: SinkRow[],
  known: TableInfo | undefined,
  o: TableOptions,
): Promise<TableInfo> {
  const where = `connector ${o.connector}: table ${displayName(name)}`;
  let table = known ?? (await describeTable(db, name));
  if (!table) {
    if (!o.autoCreate)
      throw new PipeError('CONNECTOR_CONFIG', `${where} does not exist`, {
        meta: { hint: 'create it, or set auto.create: true to create it from the record schema' },
      });
    const keyed = rows.find((r) => r.shape.keyCount > 0)?.shape;
    const key = keyed ? keyed.names.slice(0, keyed.keyCount) : [];
    await db.query(createTableSql(name, definitions(rows, where, 'create'), key));
    table = present(await describeTable(db, name), `${where}, just created,`);
  }
  const existing = table;
  const absent = new Set<string>();
  for (const shape of shapesOf(rows))
    for (const name of shape.names) if (!existing.columns.has(name)) absent.add(name);
  if (absent.size > 0) {
    if (!o.autoEvolve)
      throw new PipeError('CONNECTOR_CONFIG', `${where} has no column ${[...absent][0]}`, {
        meta: { hint: 'add the column, or set auto.evolve: true to add missing columns' },
      });
    await db.query(addColumnsSql(name, definitions(rows, where, 'add', absent)));
    table = present(await describeTable(db, name), `${where}, just altered,`);
  }
  if (o.needsKey && table.primaryKey.length === 0)
    throw new PipeError(
      'CONNECTOR_CONFIG',
      `${where} has no primary key, which upserts, updates and deletes need`,
    );
  return table;
}

/** The columns the rows name, each with the schema of the first row that has one. */
function definitions(
  rows: SinkRow[],
  where: string,
  what: 'create' | 'add',
  only?: ReadonlySet<string>,
): ColumnDefinition[] {
  const out = new Map<string, ColumnDefinition | null>();
  for (const shape of shapesOf(rows)) {
    for (const [i, name] of shape.names.entries()) {
      if (out.get(name) || (only && !only.has(name))) continue;
      const schema = shape.schemas[i];
      out.set(name, schema ? { name, schema } : null);
    }
  }
  return [...out].map(([name, definition]) => {
    if (definition) return definition;
    throw new PipeError(
      'CONNECTOR_CONFIG',
      `${where}: cannot ${what} column ${name} from a schemaless record (use a converter with schemas, or ${what === 'create' ? 'create the table' : 'add the column'} first)`,
    );
  });
}

/** The rows' distinct shapes in first-seen order: rows of one schema share theirs. */
function shapesOf(rows: SinkRow[]): Set<RowShape> {
  const shapes = new Set<RowShape>();
  let last: RowShape | undefined;
  for (const row of rows) {
    if (row.shape === last) continue;
    last = row.shape;
    shapes.add(last);
  }
  return shapes;
}
