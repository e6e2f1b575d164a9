/**
 * pipe's transforms against Kafka Connect's own (unwrap against Debezium's): every vector of
 * test/fixtures/transform-vectors (written by the real SMT classes, see
 * tools/transform-vectors) is read with pipe's JsonConverter, run through
 * pipe's chain and written back; the key, value, headers and topic must be
 * Connect's bytes, and where Connect failed pipe must fail too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransformSpec } from '../config/model.js';
import { JsonConverter } from '../converters/json-converter.js';
import { resolvePredicateType, resolveTransformType } from './catalog.js';
import { buildTransformChain } from './chain.js';
import type { TransformRecord } from './record.js';

interface Vector {
  case: string;
  record: string;
  schemas: boolean;
  transforms: Array<{
    name: string;
    type: string;
    config: Record<string, string>;
    predicate?: string;
    negate?: boolean;
  }>;
  predicates?: Record<string, { type: string; config?: Record<string, string> }>;
  in: {
    topic: string;
    partition: number;
    offset: string;
    timestamp: number;
    key: string | null;
    value: string | null;
    headers: Array<[string, string | null]>;
  };
  out?: {
    topic: string;
    timestamp: number;
    key: string | null;
    value: string | null;
    headers: Array<[string, string | null]>;
  } | null;
  error?: { at: string; class: string; message: string };
}

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'transform-vectors');
const read = (file: string): Vector[] =>
  readFileSync(join(FIXTURES, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Vector);
const vectors = read('connect-4.2.0.jsonl');
const debezium = read('debezium-2.7.3.jsonl');

const bytes = (text: string | null) => (text === null ? null : Buffer.from(text, 'utf8'));
const text = (data: Uint8Array | null) => (data === null ? null : Buffer.from(data).toString('utf8'));

function specs(v: Vector): TransformSpec[] {
  return v.transforms.map((t) => {
    const spec: TransformSpec = { name: t.name, type: t.type, config: t.config, negate: t.negate ?? false };
    if (t.predicate) {
      const p = v.predicates![t.predicate]!;
      spec.predicate = { name: t.predicate, type: p.type, config: p.config ?? {} };
    }
    return spec;
  });
}

/** What pipe makes of the vector's input: the output as Connect's vectors hold it, or the stage that failed. */
function run(v: Vector): { out: Vector['out'] } | { failedAt: string } {
  const converter = new JsonConverter({ schemasEnable: v.schemas });
  const headerConverter = new JsonConverter({ schemasEnable: v.schemas });
  const topic = v.in.topic;
  const key = converter.toConnectData(topic, bytes(v.in.key));
  const value = converter.toConnectData(topic, bytes(v.in.value));
  const record: TransformRecord = {
    topic,
    partition: v.in.partition,
    offset: v.in.offset,
    timestamp: v.in.timestamp,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    headers: v.in.headers.map(([name, raw]) => ({
      key: name,
      ...headerConverter.toConnectData(topic, bytes(raw)),
    })),
  };
  const chain = buildTransformChain(specs(v))!;
  let result: TransformRecord | null;
  try {
    result = chain(record);
  } catch (err) {
    const transform = (err as { meta?: { transform?: string } }).meta?.transform;
    return { failedAt: transform ?? '(unknown)' };
  }
  if (result === null) return { out: null };
  try {
    return {
      out: {
        topic: result.topic,
        timestamp: result.timestamp!,
        key: text(converter.fromConnectData(result.topic, result.keySchema, result.key)),
        value: text(converter.fromConnectData(result.topic, result.valueSchema, result.value)),
        headers: (result.headers ?? []).map((h) => [
          h.key,
          text(headerConverter.fromConnectData(result.topic, h.schema, h.value)),
        ]),
      },
    };
  } catch {
    return { failedAt: '(converter)' };
  }
}

describe('transform vectors from Kafka Connect 4.2.0', () => {
  it('has vectors for every transform and predicate type', () => {
    const bases = new Set(
      vectors.flatMap((v) => [
        ...v.transforms.map((t) => resolveTransformType(t.type)?.base),
        ...Object.values(v.predicates ?? {}).map((p) => resolvePredicateType(p.type)?.base),
      ]),
    );
    expect([...bases].sort()).toEqual(
      [
        'Cast',
        'DropHeaders',
        'ExtractField',
        'Filter',
        'Flatten',
        'HasHeaderKey',
        'HeaderFrom',
        'HoistField',
        'InsertField',
        'InsertHeader',
        'MaskField',
        'RecordIsTombstone',
        'RegexRouter',
        'ReplaceField',
        'SetSchemaMetadata',
        'TimestampConverter',
        'TimestampRouter',
        'TopicNameMatches',
        'ValueToKey',
      ].sort(),
    );
  });

  for (const v of vectors) {
    it(`${v.case} on ${v.record} (${v.schemas ? 'schemas' : 'schemaless'})`, () => expectSame(v));
  }
});

describe('unwrap against vectors from Debezium 2.7.3 ExtractNewRecordState', () => {
  for (const v of debezium) it(`${v.case} on ${v.record}`, () => expectSame(v));
});

function expectSame(v: Vector): void {
  const got = run(v);
  if (v.error) expect(got).toEqual({ failedAt: v.error.at });
  else expect(got).toEqual({ out: v.out });
}
