import { describe, expect, it } from 'vitest';
import { isPipeError } from '../errors.js';
import { Schemas } from './data/builders.js';
import { JsonConverter } from './json-converter.js';

/** A small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const order = Schemas.struct({
  id: Schemas.int64(),
  name: Schemas.optional(Schemas.string()),
  amount: Schemas.decimal(2),
  at: Schemas.timestamp(),
  tags: Schemas.map(Schemas.int32(), Schemas.array(Schemas.double())),
});
const value = {
  id: 12n,
  name: 'é 😀',
  amount: { unscaled: -1234n, scale: 2 },
  at: new Date(1),
  tags: new Map([[1, [0.5, 2]]]),
};

describe('JsonConverter on damaged bytes', () => {
  for (const schemasEnable of [true, false]) {
    it(`either reads or throws a PipeError, never anything else (schemas.enable=${schemasEnable})`, () => {
      const converter = new JsonConverter({ schemasEnable });
      const good = converter.fromConnectData('t', order, value)!;
      const next = random(schemasEnable ? 1 : 2);
      let failures = 0;
      for (let i = 0; i < 1500; i++) {
        const bytes = Uint8Array.from(good);
        const damage = 1 + Math.floor(next() * 3);
        for (let d = 0; d < damage; d++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 128);
        const cut = next() < 0.2 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
        try {
          converter.toConnectData('t', cut);
        } catch (error) {
          failures++;
          if (!isPipeError(error)) throw error;
          expect(['CONVERTER_DATA', 'CONVERTER_SCHEMA']).toContain(error.code);
        }
      }
      expect(failures).toBeGreaterThan(0);
    });
  }
});

describe('JsonConverter on values that do not fit', () => {
  const schemas = [
    Schemas.int8(),
    Schemas.int32(),
    Schemas.int64(),
    Schemas.float(),
    Schemas.double(),
    Schemas.boolean(),
    Schemas.string(),
    Schemas.bytes(),
    Schemas.array(Schemas.int8()),
    Schemas.map(Schemas.string(), Schemas.int8()),
    Schemas.map(Schemas.int8(), Schemas.int8()),
    Schemas.struct({ a: Schemas.int8() }),
    Schemas.decimal(2),
    Schemas.date(),
    Schemas.time(),
    Schemas.timestamp(),
  ];
  const values: unknown[] = [
    300,
    1.5,
    2n ** 70n,
    Number.NaN,
    'x',
    true,
    new Uint8Array([1]),
    [1000],
    new Map([[1000, 1]]),
    { a: 'x' },
    new Date(Number.NaN),
    new Date(1),
    { unscaled: 1n, scale: 5 },
    Symbol('s'),
    () => 1,
    new (class Custom {})(),
  ];

  it('either writes or throws a CONVERTER_DATA error, for every schema and value', () => {
    const converter = new JsonConverter({ schemasEnable: true });
    let failures = 0;
    for (const schema of schemas) {
      for (const value of values) {
        try {
          converter.fromConnectData('t', schema, value);
        } catch (error) {
          failures++;
          if (!isPipeError(error)) throw error;
          expect(error.code).toBe('CONVERTER_DATA');
        }
      }
      for (const value of values) {
        try {
          converter.fromConnectData('t', null, value);
        } catch (error) {
          if (!isPipeError(error)) throw error;
        }
      }
    }
    expect(failures).toBeGreaterThan(schemas.length * (values.length - 3));
  });
});
