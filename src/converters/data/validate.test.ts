import { describe, expect, it } from 'vitest';
import { isPipeError } from '../../errors.js';
import { Schemas } from './builders.js';
import type { ConnectSchema } from './schema.js';
import { validateValue } from './validate.js';

function problemPath(schema: ConnectSchema, value: unknown): string | undefined {
  try {
    validateValue(schema, value);
    return undefined;
  } catch (error) {
    if (!isPipeError(error) || error.code !== 'CONVERTER_DATA') throw error;
    return error.meta.path as string;
  }
}

const order = Schemas.struct({
  id: Schemas.int64(),
  lines: Schemas.array(Schemas.struct({ sku: Schemas.string(), qty: Schemas.int16() })),
  prices: Schemas.map(Schemas.string(), Schemas.decimal(2)),
  at: Schemas.optional(Schemas.timestamp()),
});

const good = {
  id: 1n,
  lines: [{ sku: 'a', qty: 2 }],
  prices: new Map([['a', { unscaled: 150n, scale: 2 }]]),
  at: null,
};

describe('validateValue', () => {
  it('accepts a value that fits its schema', () => {
    expect(problemPath(order, good)).toBeUndefined();
    expect(problemPath(order, { ...good, prices: { a: { unscaled: 1n, scale: 2 } } })).toBeUndefined();
  });

  it('names the path of a field that does not fit', () => {
    expect(
      problemPath(order, {
        ...good,
        lines: [
          { sku: 'a', qty: 2 },
          { sku: 'b', qty: 40000 },
        ],
      }),
    ).toBe('lines[1].qty');
    expect(problemPath(order, { ...good, prices: new Map([['a', { unscaled: 1n, scale: 3 }]]) })).toBe(
      'prices["a"]',
    );
    expect(problemPath(order, { ...good, id: 1.5 })).toBe('id');
    expect(problemPath(order, 'not a struct')).toBe('(root)');
  });

  it('refuses null for a required field without a default, and accepts it for optional or defaulted ones', () => {
    expect(problemPath(order, { ...good, id: null })).toBe('id');
    expect(problemPath(Schemas.int32({ default: 3 }), null)).toBeUndefined();
  });

  it('checks each type: integer ranges, int64 as bigint, bytes, logical types', () => {
    expect(problemPath(Schemas.int8(), 128)).toBe('(root)');
    expect(problemPath(Schemas.int8(), -128)).toBeUndefined();
    expect(problemPath(Schemas.int64(), 2n ** 63n)).toBe('(root)');
    expect(problemPath(Schemas.int64(), 2n ** 63n - 1n)).toBeUndefined();
    expect(problemPath(Schemas.bytes(), [1, 2])).toBe('(root)');
    expect(problemPath(Schemas.date(), new Date(Date.UTC(2024, 1, 1, 5)))).toBe('(root)');
    expect(problemPath(Schemas.time(), new Date(1000))).toBeUndefined();
    expect(problemPath(Schemas.timestamp(), new Date(Number.NaN))).toBe('(root)');
  });

  it('refuses a schema that is not a Connect schema instead of crashing', () => {
    for (const schema of [{ type: 'array' }, { type: 'uuid' }, { type: 'map', keys: { type: 'string' } }]) {
      expect(() => validateValue(schema as ConnectSchema, [])).toThrowError(
        expect.objectContaining({ code: 'CONVERTER_SCHEMA' }),
      );
    }
  });
});
