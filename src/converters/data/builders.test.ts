import { describe, expect, it } from 'vitest';
import { Schemas } from './builders.js';

describe('Schemas', () => {
  it("builds the logical types as Connect's classes define them", () => {
    expect(Schemas.decimal(2)).toEqual({
      type: 'bytes',
      optional: false,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2' },
    });
    expect(Schemas.date()).toMatchObject({
      type: 'int32',
      name: 'org.apache.kafka.connect.data.Date',
      version: 1,
    });
    expect(Schemas.time()).toMatchObject({
      type: 'int32',
      name: 'org.apache.kafka.connect.data.Time',
      version: 1,
    });
    expect(Schemas.timestamp()).toMatchObject({
      type: 'int64',
      name: 'org.apache.kafka.connect.data.Timestamp',
      version: 1,
    });
  });

  it('keeps other parameters of a Decimal beside its scale', () => {
    expect(Schemas.decimal(4, { parameters: { precision: '10' } }).parameters).toEqual({
      precision: '10',
      scale: '4',
    });
  });

  it('builds structs from pairs or from an object, fields in order, each schema with its field name', () => {
    const fromPairs = Schemas.struct([
      ['b', Schemas.string()],
      ['1', Schemas.int8()],
    ]);
    expect(fromPairs.fields?.map((f) => f.field)).toEqual(['b', '1']);
    expect(Schemas.struct({ id: Schemas.int64(), name: Schemas.optional(Schemas.string()) }).fields).toEqual([
      { type: 'int64', optional: false, field: 'id' },
      { type: 'string', optional: true, field: 'name' },
    ]);
  });

  it('makes a schema optional without changing the original', () => {
    const required = Schemas.int32({ doc: 'n' });
    expect(Schemas.optional(required)).toEqual({ type: 'int32', optional: true, doc: 'n' });
    expect(required.optional).toBe(false);
  });
});
