import { describe, expect, it } from 'vitest';
import { Decimal, Schemas } from '../../converters/index.js';
import {
  columnTypeOf,
  floorDiv,
  fromPgText,
  pgTextOf,
  schemaOfColumn,
  timestampMicros,
  timestampMillis,
  toPgText,
} from './type-mapping.js';

describe('postgres type mapping', () => {
  it('maps Connect types and logical types to column types', () => {
    expect(
      [
        Schemas.int8(),
        Schemas.int32(),
        Schemas.int64(),
        Schemas.float(),
        Schemas.double(),
        Schemas.boolean(),
        Schemas.string(),
        Schemas.bytes(),
        Schemas.decimal(2),
        Schemas.date(),
        Schemas.time(),
        Schemas.timestamp(),
        Schemas.array(Schemas.int32()),
      ].map(columnTypeOf),
    ).toEqual([
      'smallint',
      'integer',
      'bigint',
      'real',
      'double precision',
      'boolean',
      'text',
      'bytea',
      'numeric',
      'date',
      'time',
      'timestamptz',
      'jsonb',
    ]);
  });

  it('derives schemas from column types, numeric keeping its scale, and refuses types it cannot map', () => {
    expect(schemaOfColumn({ oid: 1700, typmod: ((10 << 16) | 3) + 4, optional: true })).toEqual(
      Schemas.decimal(3, { optional: true }),
    );
    expect(schemaOfColumn({ oid: 1700, typmod: -1, optional: false })).toEqual(Schemas.string());
    expect(schemaOfColumn({ oid: 600 /* point */, typmod: -1, optional: false })).toBeUndefined();
  });

  it('reads values back as written, to the microsecond for timestamps', () => {
    const price = Decimal.parse('-1.50')!;
    expect(fromPgText(toPgText(price, Schemas.decimal(2)), Schemas.decimal(2))).toEqual(price);
    expect(fromPgText('12.3', Schemas.decimal(3))).toEqual({ unscaled: 12300n, scale: 3 });
    expect(fromPgText('\\x00ff', Schemas.bytes())).toEqual(Buffer.from([0, 255]));
    expect(fromPgText('2024-02-29', Schemas.date())).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(fromPgText('13:14:15.123', Schemas.time())).toEqual(new Date('1970-01-01T13:14:15.123Z'));
    expect(timestampMicros('2024-03-01 10:11:12.345678+00')).toBe(1709287872345678n);
    expect(timestampMicros('1969-12-31 23:59:59.999999')).toBe(-1n);
    expect(timestampMicros('2024-03-01 12:11:12.5+02')).toBe(1709287872500000n);
    expect(fromPgText('1969-12-31 23:59:59.9995+00', Schemas.timestamp())).toEqual(new Date(-1));
    expect(toPgText(Number.NaN, Schemas.double())).toBe('NaN');
    expect(toPgText(new Map([['a', 1n]]), null)).toBe('{"a":1}');
  });

  it('writes the same text through the writer chosen once per schema as through toPgText', () => {
    const cases: Array<[ReturnType<typeof Schemas.string> | null, unknown[]]> = [
      [Schemas.int64(), [12n, -3n, 5, null, undefined]],
      [Schemas.int32(), [7, 2n, null]],
      [Schemas.string(), ['a', '', 1, null]],
      [Schemas.decimal(2), [Decimal.parse('-1.50'), null, undefined]],
      [Schemas.timestamp(), [new Date(0), new Date(-1), 5, null]],
      [Schemas.date(), [new Date(86_400_000), null]],
      [Schemas.time(), [new Date(1_000), null]],
      [Schemas.bytes(), [new Uint8Array([1, 255]), null]],
      [Schemas.boolean(), [true, null]],
      [null, ['s', 1n, 2.5, new Map([['a', 1]]), null]],
    ];
    for (const [schema, values] of cases)
      for (const value of values) expect(pgTextOf(schema)(value)).toBe(toPgText(value, schema));
  });

  it.each([
    ['123.45', 2, 12345n],
    ['-0.05', 2, -5n],
    ['-0.00', 2, 0n],
    ['42', 0, 42n],
    ['-999999999999.999', 3, -999999999999999n],
    ['9999999999999999.99', 2, 999999999999999999n],
    ['12.3', 2, 1230n],
    ['12.345', 2, 1234n],
    ['1e3', 0, 1000n],
  ])('reads numeric %s at scale %i as the unscaled value %s, past 15 digits too', (text, scale, unscaled) => {
    expect(fromPgText(text, Schemas.decimal(scale))).toEqual({ unscaled, scale });
  });
});

describe('timestamps far from now', () => {
  it('reads years before 100 and before the common era', () => {
    expect(timestampMicros('0050-01-01 00:00:00+00')).toBe(
      BigInt(Date.parse('0050-01-01T00:00:00Z')) * 1000n,
    );
    expect(timestampMicros('0001-01-01 00:00:00+00 BC')).toBe(
      BigInt(new Date('0000-01-01T00:00:00Z').getTime()) * 1000n,
    );
  });
});

describe('timestampMillis', () => {
  it.each([
    '2024-03-01 10:11:12.345678+00',
    '2024-03-01 10:11:12',
    '2024-03-01 12:11:12.5+02',
    '2024-03-01 12:11:12.999+05:30',
    '2024-03-01 02:11:12.0001-0930',
    '1969-12-31 23:59:59.999999',
    '1969-12-31 23:59:59.9995+00',
    '0050-01-01 00:00:00+00',
    '0001-01-01 00:00:00+00 BC',
    '12345-01-01 00:00:00+00',
    'infinity',
  ])('gives the milliseconds of timestampMicros, rounded down: %s', (text) => {
    expect(timestampMillis(text)).toBe(Number(floorDiv(timestampMicros(text), 1000n)));
  });

  it('refuses what timestampMicros refuses', () => {
    expect(() => timestampMillis('2024-03-01 10:11:12.1234567+00')).toThrow(RangeError);
    expect(() => timestampMillis('2024-03-01T10:11:12')).toThrow(RangeError);
  });
});
