import { describe, expect, it } from 'vitest';
import { isPipeError, type PipeError } from '../errors.js';
import { Schemas } from './data/builders.js';
import type { ConnectSchema } from './data/schema.js';
import { JsonConverter } from './json-converter.js';

const withSchemas = new JsonConverter({ schemasEnable: true });
const withoutSchemas = new JsonConverter({ schemasEnable: false });
const numeric = new JsonConverter({ schemasEnable: true, decimalFormat: 'NUMERIC' });

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));
const bytes = (json: string) => new TextEncoder().encode(json);
const write = (schema: ConnectSchema | null, value: unknown, converter = withSchemas) =>
  text(converter.fromConnectData('t', schema, value));
const read = (json: string, converter = withSchemas) => converter.toConnectData('t', bytes(json));
const payloadOf = (schema: ConnectSchema, value: unknown) => write(schema, value, withoutSchemas);

function errorOf(action: () => unknown): PipeError {
  try {
    action();
  } catch (error) {
    if (isPipeError(error)) return error;
    throw error;
  }
  throw new Error('expected a PipeError');
}

describe('envelope', () => {
  it('wraps schema and payload when schemas are enabled, and writes the bare value otherwise', () => {
    expect(write(Schemas.string(), 'aaa')).toBe(
      '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
    );
    expect(write(Schemas.string(), 'aaa', withoutSchemas)).toBe('"aaa"');
  });

  it('writes a null value with a null schema as no bytes at all (a tombstone), not as null', () => {
    expect(withSchemas.fromConnectData('t', null, null)).toBeNull();
    expect(withoutSchemas.fromConnectData('t', null, null)).toBeNull();
  });

  it('reads no bytes as a null schema and value', () => {
    expect(withSchemas.toConnectData('t', null)).toEqual({ schema: null, value: null });
  });

  it('writes a null value of an optional schema as a null payload', () => {
    expect(write(Schemas.optional(Schemas.string()), null)).toBe(
      '{"schema":{"type":"string","optional":true},"payload":null}',
    );
    expect(write(Schemas.optional(Schemas.string()), null, withoutSchemas)).toBe('null');
  });

  it('reads an envelope written with white space and keys in another order', () => {
    const { schema, value } = read(
      ' { "payload" : "x" , "schema" : { "optional" : true, "type" : "string" } } ',
    );
    expect(schema).toEqual({ type: 'string', optional: true });
    expect(value).toBe('x');
  });
});

describe('schema JSON', () => {
  it("writes keys in Connect's order: type, children, optional, name, version, doc, parameters, default", () => {
    const schema: ConnectSchema = {
      doc: 'a map',
      default: new Map([['k', 1n]]),
      parameters: { a: '1', b: '2' },
      version: 3,
      name: 'com.example.M',
      optional: true,
      values: { type: 'int64' },
      keys: { type: 'string' },
      type: 'map',
    };
    expect(write(schema, null, withSchemas)).toBe(
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int64","optional":false},' +
        '"optional":true,"name":"com.example.M","version":3,"doc":"a map","parameters":{"a":"1","b":"2"},' +
        '"default":{"k":1}},"payload":{"k":1}}',
    );
  });

  it('writes array items after the type and a struct field name last in each field', () => {
    const schema = Schemas.struct(
      { tags: Schemas.array(Schemas.string(), { optional: true }) },
      { name: 'S' },
    );
    expect(JSON.parse(write(schema, { tags: null })!).schema).toEqual({
      type: 'struct',
      fields: [{ type: 'array', items: { type: 'string', optional: false }, optional: true, field: 'tags' }],
      optional: false,
      name: 'S',
    });
    expect(write(schema, { tags: null })).toContain(
      '"fields":[{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"}]',
    );
  });

  it('reads a schema back into the same plain object', () => {
    const schema = Schemas.struct([
      ['id', Schemas.int64()],
      ['amount', Schemas.optional(Schemas.decimal(2))],
      ['at', Schemas.timestamp()],
    ]);
    const value = { id: 1n, amount: { unscaled: 1234n, scale: 2 }, at: new Date(5) };
    expect(read(write(schema, value)!)).toEqual({ schema, value });
  });

  it('names every Connect type', () => {
    for (const type of [
      'int8',
      'int16',
      'int32',
      'int64',
      'float',
      'double',
      'boolean',
      'string',
      'bytes',
    ] as const) {
      expect(
        read(`{"schema":{"type":"${type}"},"payload":null}`.replace('}', ',"optional":true}')).schema,
      ).toEqual({
        type,
        optional: true,
      });
    }
  });
});

describe('values', () => {
  it('writes bytes as base64 and reads them back', () => {
    expect(payloadOf(Schemas.bytes(), new Uint8Array([0, 1, 2, 255]))).toBe('"AAEC/w=="');
    expect(read('{"schema":{"type":"bytes","optional":false},"payload":"AAEC/w=="}').value).toEqual(
      new Uint8Array([0, 1, 2, 255]),
    );
  });

  it('writes maps with string keys as objects and other maps as [key, value] pairs', () => {
    expect(payloadOf(Schemas.map(Schemas.string(), Schemas.int32()), new Map([['a', 1]]))).toBe('{"a":1}');
    expect(payloadOf(Schemas.map(Schemas.string(), Schemas.int32()), { a: 1 })).toBe('{"a":1}');
    expect(payloadOf(Schemas.map(Schemas.int32(), Schemas.string()), new Map([[7, 'seven']]))).toBe(
      '[[7,"seven"]]',
    );
    expect(payloadOf(Schemas.map(Schemas.boolean(), Schemas.int64()), new Map([[true, 5n]]))).toBe(
      '[[true,5]]',
    );
  });

  it('reads maps as JS Maps in the order a Java HashMap gives, so rewriting matches Connect', () => {
    const { value } = read('{"b":1,"a":2,"id":3}', withoutSchemas);
    expect(value).toBeInstanceOf(Map);
    expect([...(value as Map<string, unknown>).keys()]).toEqual(['a', 'b', 'id']);
  });

  it('reads a repeated map key as Java does: its first place, its last value', () => {
    const schema = Schemas.map(Schemas.int32(), Schemas.string());
    const { value } = read(`{"schema":${JSON.stringify(schema)},"payload":[[2,"a"],[1,"b"],[2,"c"]]}`);
    expect([...(value as Map<number, string>)]).toEqual([
      [1, 'b'],
      [2, 'c'],
    ]);
  });

  it('writes struct fields in schema order whatever the object key order', () => {
    const schema = Schemas.struct({ a: Schemas.int32(), b: Schemas.string() });
    expect(payloadOf(schema, { b: 'x', a: 1 })).toBe('{"a":1,"b":"x"}');
    expect(payloadOf(Schemas.struct({}), {})).toBe('{}');
  });

  it('writes an optional field set to null with a default as the default', () => {
    const schema = Schemas.struct({ flag: Schemas.boolean({ optional: true, default: true }) });
    expect(payloadOf(schema, { flag: null })).toBe('{"flag":true}');
    expect(payloadOf(schema, {})).toBe('{"flag":true}');
  });

  it('reads a missing or null field with a default as the default', () => {
    const { value } = read(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"default":7,"field":"n"}],"optional":false},"payload":{}}',
    );
    expect(value).toEqual({ n: 7 });
  });

  it('keeps int64 exact beyond 2^53 both ways', () => {
    const { value } = read('{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}');
    expect(value).toBe(9223372036854775807n);
    expect(payloadOf(Schemas.int64(), 9007199254740993n)).toBe('9007199254740993');
    expect(payloadOf(Schemas.int64(), -9223372036854775808n)).toBe('-9223372036854775808');
  });

  it('reads schemaless integers as int64 bigints and fractions as doubles, and writes them back the same', () => {
    const { value } = read('[1,1.0,9007199254740993,1e2]', withoutSchemas);
    expect(value).toEqual([1n, 1, 9007199254740993n, 100]);
    expect(write(null, value, withoutSchemas)).toBe('[1,1.0,9007199254740993,100.0]');
  });

  it('prints doubles the way Java does', () => {
    expect(payloadOf(Schemas.double(), 3)).toBe('3.0');
    expect(payloadOf(Schemas.double(), 1e-300)).toBe('1.0E-300');
    expect(payloadOf(Schemas.double(), 12345678901234567000)).toBe('1.2345678901234567E19');
    expect(payloadOf(Schemas.float(), 1.1)).toBe('1.1');
  });

  it('writes non-finite doubles as the strings Jackson writes, and reads them back as 0.0 as Connect does', () => {
    expect(payloadOf(Schemas.double(), Number.NaN)).toBe('"NaN"');
    expect(payloadOf(Schemas.double(), Number.NEGATIVE_INFINITY)).toBe('"-Infinity"');
    expect(read('{"schema":{"type":"double","optional":false},"payload":"Infinity"}').value).toBe(0);
    expect(errorOf(() => read('{"schema":{"type":"double","optional":false},"payload":"1.5"}')).code).toBe(
      'CONVERTER_DATA',
    );
  });

  it('writes -0.0 but reads it as 0.0, as Connect reading through BigDecimal does', () => {
    expect(payloadOf(Schemas.double(), -0)).toBe('-0.0');
    expect(Object.is(read('-0.0', withoutSchemas).value, 0)).toBe(true);
  });

  it('writes strings with only the escapes Jackson uses', () => {
    expect(payloadOf(Schemas.string(), 'é"\\\t</tag> 中文\u0001\u007f/')).toBe(
      '"é\\"\\\\\\t</tag> 中文\\u0001\u007f/"',
    );
    expect(payloadOf(Schemas.string(), 'emoji 😀 \ud800')).toBe('"emoji \\uD83D\\uDE00 \\uD800"');
  });
});

describe('logical types', () => {
  it('writes a Decimal as the base64 of its two’s-complement unscaled value, with its scale parameter', () => {
    const schema = Schemas.decimal(2);
    expect(write(schema, { unscaled: 1234n, scale: 2 })).toBe(
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,' +
        '"parameters":{"scale":"2"}},"payload":"BNI="}',
    );
    expect(payloadOf(schema, { unscaled: -1n, scale: 2 })).toBe('"/w=="');
    expect(payloadOf(schema, { unscaled: 128n, scale: 2 })).toBe('"AIA="');
    expect(read(write(schema, { unscaled: -129n, scale: 2 })!).value).toEqual({ unscaled: -129n, scale: 2 });
  });

  it('writes a Decimal as a JSON number with decimal.format=NUMERIC, and reads either form', () => {
    const schema = Schemas.decimal(2);
    expect(write(schema, { unscaled: 1234n, scale: 2 }, numeric)).toContain('"payload":12.34}');
    expect(write(schema, { unscaled: 1n, scale: 10 }, numeric)).toContain('"payload":1E-10}');
    expect(read(write(schema, { unscaled: 1234n, scale: 2 }, numeric)!).value).toEqual({
      unscaled: 1234n,
      scale: 2,
    });
  });

  it('refuses a Decimal whose scale is not its schema’s, as Connect does for base64', () => {
    expect(errorOf(() => payloadOf(Schemas.decimal(2), { unscaled: 1n, scale: 3 })).code).toBe(
      'CONVERTER_DATA',
    );
  });

  it('writes Timestamp as epoch milliseconds, Date as days and Time as milliseconds of the day', () => {
    expect(payloadOf(Schemas.timestamp(), new Date(1700000000123))).toBe('1700000000123');
    expect(payloadOf(Schemas.date(), new Date(Date.UTC(2023, 10, 14)))).toBe('19675');
    expect(payloadOf(Schemas.time(), new Date(3723004))).toBe('3723004');
    expect(
      read(
        '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19675}',
      ).value,
    ).toEqual(new Date(Date.UTC(2023, 10, 14)));
  });

  it('refuses a Date with a time of day and a Time with a date', () => {
    expect(errorOf(() => payloadOf(Schemas.date(), new Date(1))).message).toMatch(/midnight/);
    expect(errorOf(() => payloadOf(Schemas.time(), new Date(Date.UTC(2023, 0, 2)))).message).toMatch(
      /no date/,
    );
  });
});

describe('bad bytes give a typed error saying what and where', () => {
  it('invalid JSON names the offset', () => {
    const error = errorOf(() => read('{"schema":null,"payload":[1,}'));
    expect(error.code).toBe('CONVERTER_DATA');
    expect(error.meta).toMatchObject({ topic: 't', offset: 28 });
  });

  it('invalid UTF-8 is refused', () => {
    expect(errorOf(() => withoutSchemas.toConnectData('t', new Uint8Array([0x22, 0xff, 0x22]))).code).toBe(
      'CONVERTER_DATA',
    );
  });

  it('an envelope without schema or payload, or with more, is refused with a hint', () => {
    for (const json of ['"aaa"', '{"payload":1}', '{"schema":null}', '{"schema":null,"payload":1,"x":2}']) {
      const error = errorOf(() => read(json));
      expect(error.code).toBe('CONVERTER_DATA');
      expect(error.message).toMatch(/"schema" and "payload"/);
      expect(error.meta.hint).toMatch(/schemas: false/);
    }
  });

  it('a payload that does not fit its schema names the field path', () => {
    const envelope = `{"schema":{"type":"struct","fields":[{"type":"array","items":{"type":"int8","optional":false},"optional":false,"field":"xs"}],"optional":false},"payload":{"xs":[1,300]}}`;
    const error = errorOf(() => read(envelope));
    expect(error.code).toBe('CONVERTER_DATA');
    expect(error.meta.path).toBe('xs[1]');
    expect(error.message).toMatch(/out of range for int8/);
  });

  it('a missing required field is named', () => {
    const error = errorOf(() =>
      read(
        '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"name"}],"optional":false},"payload":{}}',
      ),
    );
    expect(error.meta.path).toBe('name');
  });

  it('a schema that is not a Connect schema is a CONVERTER_SCHEMA error', () => {
    expect(errorOf(() => read('{"schema":{"type":"uuid"},"payload":1}')).code).toBe('CONVERTER_SCHEMA');
    expect(errorOf(() => read('{"schema":{"type":"array"},"payload":[]}')).code).toBe('CONVERTER_SCHEMA');
    expect(
      errorOf(() => write({ type: 'map', keys: { type: 'string' } } as ConnectSchema, new Map())).code,
    ).toBe('CONVERTER_SCHEMA');
    expect(errorOf(() => write({ type: 'array' }, [1], withoutSchemas)).code).toBe('CONVERTER_SCHEMA');
    expect(errorOf(() => write({ type: 'uuid' } as unknown as ConnectSchema, 'x', withoutSchemas)).code).toBe(
      'CONVERTER_SCHEMA',
    );
  });

  it('a value that does not fit its schema on write names the field path', () => {
    const schema = Schemas.struct({ order: Schemas.struct({ id: Schemas.int64() }) });
    const error = errorOf(() => write(schema, { order: { id: 'x' } }));
    expect(error.code).toBe('CONVERTER_DATA');
    expect(error.meta.path).toBe('order.id');
  });
});

describe('caching', () => {
  it('reads a record whose schema repeats the last one exactly as the first, errors and their offsets included', () => {
    const converter = new JsonConverter({ schemasEnable: true });
    const envelope = (payload: string) =>
      bytes(
        `{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":${payload}}`,
      );
    expect(converter.toConnectData('t', envelope('[1,2]')).value).toEqual([1, 2]);
    expect(converter.toConnectData('t', envelope('[3]')).value).toEqual([3]);
    const first = errorOf(() =>
      new JsonConverter({ schemasEnable: true }).toConnectData('t', envelope('[1,,]')),
    );
    const repeated = errorOf(() => converter.toConnectData('t', envelope('[1,,]')));
    expect(repeated.meta).toEqual(first.meta);
    expect(errorOf(() => converter.toConnectData('t', envelope('[1,"x"]'))).meta.path).toBe('[1]');
    expect(converter.toConnectData('t', envelope(' [4] ')).value).toEqual([4]);
    expect(errorOf(() => converter.toConnectData('t', envelope('[5],"extra":1'))).message).toMatch(
      /exactly "schema" and "payload"/,
    );
  });

  it.each([
    [
      '{"type":"string","optional":false}',
      ['"plain"', `"${'x'.repeat(10_000)}"`, '"ä €"', '"a\\"b\\\\c\\u0041"', '""'],
    ],
    ['{"type":"string","optional":true}', ['"plain"', 'null']],
    ['{"type":"string","optional":true,"default":"d"}', ['"plain"', 'null']],
    ['{"type":"string","optional":false,"name":"n"}', ['"plain"']],
  ])(
    'reads string payloads after a record of the same schema as a first record reads them: %s',
    (schema, payloads) => {
      const converter = new JsonConverter({ schemasEnable: true });
      const envelope = (payload: string) => bytes(`{"schema":${schema},"payload":${payload}}`);
      converter.toConnectData('t', envelope('"first"'));
      for (const payload of payloads) {
        const first = new JsonConverter({ schemasEnable: true }).toConnectData('t', envelope(payload));
        expect(converter.toConnectData('t', envelope(payload))).toEqual(first);
      }
    },
  );

  it.each([
    ['a control character', '"a\u0001b"'],
    ['a bad escape', '"a\\qb"'],
    ['invalid UTF-8', '"a\u00ffb"'],
    ['no closing quote', '"ab'],
  ])(
    'refuses a string payload with %s after a record of the same schema as in a first record',
    (_, payload) => {
      const schema = '{"type":"string","optional":false}';
      // One byte a character: \u00ff is the byte 0xff, which UTF-8 never has.
      const envelope = (p: string) => Buffer.from(`{"schema":${schema},"payload":${p}}`, 'latin1');
      const converter = new JsonConverter({ schemasEnable: true });
      converter.toConnectData('t', envelope('"first"'));
      const first = errorOf(() =>
        new JsonConverter({ schemasEnable: true }).toConnectData('t', envelope(payload)),
      );
      const repeated = errorOf(() => converter.toConnectData('t', envelope(payload)));
      expect(repeated.message).toBe(first.message);
      expect(repeated.meta).toEqual(first.meta);
    },
  );

  it('gives the same schema object for the same schema text, so downstream caches hit', () => {
    const converter = new JsonConverter({ schemasEnable: true });
    const first = converter.toConnectData(
      't',
      bytes('{"schema":{"type":"string","optional":false},"payload":"a"}'),
    );
    const second = converter.toConnectData(
      't',
      bytes('{"schema":{"type":"string","optional":false},"payload":"b"}'),
    );
    expect(second.schema).toBe(first.schema);
    expect(Object.isFrozen(first.schema)).toBe(true);
  });
});
