/**
 * Micro-benchmark of the converters on the hot path: the seed's string
 * envelope and a 10-field struct, each to and from bytes. `npm run bench`
 * runs it; unit tests only smoke-test it.
 */
import { performance } from 'node:perf_hooks';
import { Schemas } from '../src/converters/data/builders.js';
import type { ConnectSchema } from '../src/converters/data/schema.js';
import { JsonConverter } from '../src/converters/json-converter.js';

export interface Measurement {
  name: string;
  unit: 'records/s';
  value: number;
}

const DISTINCT = 1024;

const ORDER: ConnectSchema = Schemas.struct(
  {
    id: Schemas.int64(),
    customer: Schemas.optional(Schemas.string()),
    amount: Schemas.optional(Schemas.decimal(2)),
    created: Schemas.timestamp(),
    day: Schemas.date(),
    quantity: Schemas.int32(),
    price: Schemas.double(),
    paid: Schemas.boolean({ default: false }),
    tags: Schemas.array(Schemas.string()),
    note: Schemas.optional(Schemas.string()),
  },
  { name: 'com.example.Order', version: 1 },
);

function order(i: number): Record<string, unknown> {
  return {
    id: BigInt(i) * 1_000_003n,
    customer: `customer-${i}`,
    amount: { unscaled: BigInt(i * 137), scale: 2 },
    created: new Date(1_700_000_000_000 + i),
    day: new Date(Date.UTC(2024, 0, 1 + (i % 365))),
    quantity: i % 100,
    price: i / 7,
    paid: i % 2 === 0,
    tags: ['a', `t${i % 10}`],
    note: i % 3 === 0 ? null : 'gift wrap',
  };
}

/** Records per second of `convert` over `records` calls, cycling through the prepared inputs. */
function rate<T>(name: string, records: number, inputs: T[], convert: (input: T) => unknown): Measurement {
  for (let i = 0; i < Math.min(records, 1000); i++) convert(inputs[i % inputs.length]!);
  const start = performance.now();
  for (let i = 0; i < records; i++) convert(inputs[i % inputs.length]!);
  const seconds = (performance.now() - start) / 1000;
  return { name, unit: 'records/s', value: Math.round(records / Math.max(seconds, 1e-9)) };
}

export function measureConverters({ records }: { records: number }): Measurement[] {
  const converter = new JsonConverter({ schemasEnable: true });
  const string = Schemas.string();
  const lines = Array.from(
    { length: DISTINCT },
    (_, i) => `line ${i} of the source file, some text to carry`,
  );
  const lineBytes = lines.map((line) => converter.fromConnectData('bench', string, line)!);
  const orders = Array.from({ length: DISTINCT }, (_, i) => order(i));
  const orderBytes = orders.map((value) => converter.fromConnectData('bench', ORDER, value)!);
  return [
    rate('json string envelope → bytes', records, lines, (line) =>
      converter.fromConnectData('bench', string, line),
    ),
    rate('json string envelope ← bytes', records, lineBytes, (bytes) =>
      converter.toConnectData('bench', bytes),
    ),
    rate('json 10-field struct → bytes', records, orders, (value) =>
      converter.fromConnectData('bench', ORDER, value),
    ),
    rate('json 10-field struct ← bytes', records, orderBytes, (bytes) =>
      converter.toConnectData('bench', bytes),
    ),
  ];
}
