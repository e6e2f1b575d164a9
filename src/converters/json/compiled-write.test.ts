import { describe, expect, it } from 'vitest';
import { Schemas } from '../data/builders.js';
import type { ConnectSchema } from '../data/schema.js';
import { writePayload } from './compiled-write.js';
import type { JsonContext } from './context.js';
import { fromConnectValue } from './write-value.js';

const BASE64: JsonContext = { topic: 't', decimalFormat: 'BASE64', replaceNullWithDefault: true };
const NUMERIC: JsonContext = { ...BASE64, decimalFormat: 'NUMERIC' };
const NO_DEFAULTS: JsonContext = { ...BASE64, replaceNullWithDefault: false };

const ROW = Schemas.struct({
  id: Schemas.int64(),
  small: Schemas.int16(),
  name: Schemas.string(),
  note: Schemas.optional(Schemas.string()),
  flag: Schemas.boolean({ optional: true, default: true }),
  raw: Schemas.bytes(),
  amount: Schemas.optional(Schemas.decimal(2)),
  day: Schemas.optional(Schemas.date()),
  at: Schemas.optional(Schemas.timestamp()),
  ratio: Schemas.optional(Schemas.double()),
  inner: Schemas.optional(Schemas.struct({ n: Schemas.int32() })),
  toString: Schemas.optional(Schemas.string()),
});

const plain = {
  id: 9223372036854775807n,
  small: -32768,
  name: 'ä € \u0001 "q" \\ 😀 \ud800',
  note: null,
  flag: false,
  raw: new Uint8Array([0, 1, 2]),
  amount: { unscaled: -12345678901234567890n, scale: 2 },
  day: new Date(Date.UTC(2024, 0, 1)),
  at: new Date(1704067200123),
  ratio: 0.1,
  inner: { n: -0 },
};

/** What the general writer does with a value: its text, or the message it throws. */
function outcome(write: () => string): string {
  try {
    return write();
  } catch (err) {
    return `throws ${(err as Error).message}`;
  }
}

const cases: Array<[string, unknown]> = [
  ['every type in its plain form', plain],
  ['nulls and missing fields', { id: 1n, small: 0, name: '', raw: new Uint8Array(), flag: null }],
  ['a field named like an Object.prototype member, own and inherited', { ...plain, toString: 'own' }],
  ['a small decimal, zero and negative', { ...plain, amount: { unscaled: -129n, scale: 2 }, small: 0 }],
  ['an int64 as a safe number', { ...plain, id: 42 }],
  ['an int64 out of range', { ...plain, id: 2n ** 63n }],
  ['an int16 out of range', { ...plain, small: 32768 }],
  ['a fraction for an int16', { ...plain, small: 1.5 }],
  ['a number for a string', { ...plain, name: 7 }],
  ['a decimal of another scale', { ...plain, amount: { unscaled: 1n, scale: 3 } }],
  ['an invalid Date', { ...plain, at: new Date(Number.NaN) }],
  ['a number for a Timestamp', { ...plain, at: 5 }],
  ['a string for a boolean', { ...plain, flag: 'true' }],
  ['null for a required field', { ...plain, name: null }],
  ['no struct at all', 'row'],
  ['null', null],
  ['an instance of a class', new (class Row {})()],
];

describe('the compiled payload writer', () => {
  for (const context of [BASE64, NUMERIC, NO_DEFAULTS]) {
    it.each(cases)(
      `writes, or refuses, as the general writer does (decimal ${context.decimalFormat}, defaults ${context.replaceNullWithDefault}): %s`,
      (_, value) => {
        expect(outcome(() => writePayload(ROW, value, context))).toBe(
          outcome(() => fromConnectValue(ROW, value, '', context)),
        );
      },
    );
  }

  it('gives schemas it does not compile to the general writer', () => {
    const schemas: Array<[ConnectSchema, unknown]> = [
      [Schemas.string(), 'x'],
      [Schemas.struct({}), {}],
      [Schemas.struct({ d: Schemas.decimal(2) }, { name: 'org.apache.kafka.connect.data.Decimal' }), {}],
      [{ ...Schemas.struct({ d: Schemas.int32() }), fields: undefined } as ConnectSchema, { d: 1 }],
    ];
    for (const [schema, value] of schemas) {
      expect(outcome(() => writePayload(schema, value, BASE64))).toBe(
        outcome(() => fromConnectValue(schema, value, '', BASE64)),
      );
    }
  });
});
