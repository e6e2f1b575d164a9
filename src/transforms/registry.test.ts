import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../config/schemas.js';
import { buildTransformChain } from './chain.js';
import type { TransformRecord } from './record.js';
import { createTransform, IMPLEMENTED } from './registry.js';

const catalog = JSON.parse(readFileSync(join(SCHEMA_DIR, 'transforms', 'catalog.json'), 'utf8')) as {
  transforms: Record<string, unknown>;
  predicates: Record<string, unknown>;
};

const record: TransformRecord = {
  topic: 'orders',
  keySchema: null,
  key: null,
  valueSchema: { type: 'struct', optional: false, fields: [{ type: 'int32', optional: false, field: 'id' }] },
  value: { id: 1 },
  headers: [],
};

describe('transform registry', () => {
  it('implements exactly the types the catalog (and so the JSON Schemas) offers', () => {
    expect([...IMPLEMENTED.transforms].sort()).toEqual(Object.keys(catalog.transforms).sort());
    expect([...IMPLEMENTED.predicates].sort()).toEqual(Object.keys(catalog.predicates).sort());
    for (const base of Object.keys(catalog.transforms)) {
      expect(readFileSync(join(SCHEMA_DIR, 'transforms', `${base}.schema.json`), 'utf8')).toContain(
        '"type": "object"',
      );
    }
  });

  it('names the failing transform and its class, for the error policy and the dead letter headers', () => {
    const chain = buildTransformChain([
      {
        name: 'pick',
        type: 'org.apache.kafka.connect.transforms.ExtractField$Value',
        config: { field: 'nope' },
        negate: false,
      },
    ])!;
    expect(() => chain(record)).toThrow(
      expect.objectContaining({
        code: 'TRANSFORM_DATA',
        message: expect.stringMatching(
          /^transform "pick" \(.*ExtractField\$Value\) failed: Unknown field: nope$/,
        ),
        meta: { transform: 'pick', transformClass: 'org.apache.kafka.connect.transforms.ExtractField$Value' },
      }),
    );
  });

  it('applies a transform with a predicate only where the predicate (or its negation) holds', () => {
    const predicate = { name: 'orders', type: 'TopicNameMatches', config: { pattern: 'orders' } };
    const drop = (negate: boolean) =>
      buildTransformChain([{ name: 'drop', type: 'Filter', config: {}, predicate, negate }])!;
    expect(drop(false)(record)).toBeNull();
    expect(drop(true)(record)).toBe(record);
    expect(drop(false)({ ...record, topic: 'other' })).toEqual({ ...record, topic: 'other' });
  });

  it('refuses settings a transform cannot run with, naming the setting', () => {
    expect(() => createTransform('c', 'Cast$Value', { spec: 'id:decimal' })).toThrow(
      expect.objectContaining({ code: 'TRANSFORM_CONFIG', meta: { field: 'config.spec' } }),
    );
    expect(() => createTransform('i', 'InsertField$Value', {})).toThrow(
      expect.objectContaining({ code: 'TRANSFORM_CONFIG' }),
    );
  });
});
