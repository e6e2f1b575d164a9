import { describe, expect, it } from 'vitest';
import { Schemas } from '../../converters/index.js';
import type { SinkRecord } from '../api.js';
import { sinkSettings } from './sink-config.js';
import { RowBuilder } from './sink-rows.js';
import { statements } from './sink-statements.js';
import type { TableInfo } from './table.js';

const keySchema = Schemas.struct({ id: Schemas.int32() });
const valueSchema = Schemas.struct({ id: Schemas.int32(), name: Schemas.optional(Schemas.string()) });
const settings = sinkSettings(
  {
    connection: 'postgres://u@h/d',
    'pk.mode': 'record_key',
    'insert.mode': 'upsert',
    'delete.enabled': true,
  },
  'c',
);

function record(offset: number, id: number, name: string | null | undefined): SinkRecord {
  return {
    topic: 't',
    partition: 0,
    offset: String(offset),
    timestamp: 0,
    keySchema,
    key: { id },
    valueSchema: name === undefined ? null : valueSchema,
    value: name === undefined ? null : { id, name },
    headers: [],
  };
}

const table: TableInfo = {
  name: { schema: 's', table: 'users' },
  columns: new Map(
    [
      ['id', 'pg_catalog.int4'],
      ['name', 'pg_catalog.text'],
    ].map(([name, baseType]) => [
      name!,
      { name: name!, baseType: baseType!, oid: 0, typmod: -1, notNull: false },
    ]),
  ),
  primaryKey: ['id'],
};

const rows = (records: SinkRecord[]) => {
  const builder = new RowBuilder(settings);
  return records.map((r) => builder.row(r)!);
};

describe('postgres sink statements', () => {
  it('upserts keep the last record of each key, deletes included, one array parameter per column', () => {
    const out = statements(
      table,
      rows([
        record(0, 1, 'a'),
        record(1, 2, 'b'),
        record(2, 1, 'c'),
        record(3, 2, undefined),
        record(4, 3, null),
      ]),
      'upsert',
      100,
    );
    expect(out.map((s) => s.text)).toEqual([
      'INSERT INTO "s"."users" ("id", "name") SELECT * FROM unnest($1::pg_catalog.int4[], $2::pg_catalog.text[]) ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name"',
      'DELETE FROM "s"."users" AS t USING unnest($1::pg_catalog.int4[]) AS d("id") WHERE t."id" = d."id"',
    ]);
    expect(out[0]!.values).toEqual([
      ['1', '3'],
      ['c', null],
    ]);
    expect(out[1]!.values).toEqual([['2']]);
  });

  it('inserts keep every record in order, split at batch.size and where deletes come between', () => {
    const out = statements(
      table,
      rows([
        record(0, 1, 'a'),
        record(1, 1, 'b'),
        record(2, 2, 'c'),
        record(3, 1, undefined),
        record(4, 1, 'd'),
      ]),
      'insert',
      2,
    );
    expect(out.map((s) => [s.text.split(' ')[0], s.values[0]])).toEqual([
      ['INSERT', ['1', '1']],
      ['INSERT', ['2']],
      ['DELETE', ['1']],
      ['INSERT', ['1']],
    ]);
  });

  it('updates set the value columns of rows matched by key', () => {
    const [update] = statements(table, rows([record(0, 1, 'a')]), 'update', 10);
    expect(update!.text).toBe(
      'UPDATE "s"."users" AS t SET "name" = u."name" FROM unnest($1::pg_catalog.int4[], $2::pg_catalog.text[]) AS u("id", "name") WHERE t."id" = u."id"',
    );
  });
});
