import { describe, expect, it } from 'vitest';
import { connectTransformProperties } from './connect-properties.js';

describe('connectTransformProperties', () => {
  it('writes the transforms and the predicates they name as Connect connector settings', () => {
    expect(
      connectTransformProperties([
        {
          name: 'keep',
          type: 'org.apache.kafka.connect.transforms.ReplaceField$Value',
          config: { include: ['id', 'name'], 'replace.null.with.default': false },
          negate: false,
        },
        {
          name: 'drop',
          type: 'org.apache.kafka.connect.transforms.Filter',
          config: {},
          negate: true,
          predicate: {
            name: 'orders',
            type: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
            config: { pattern: 'orders.*' },
          },
        },
      ]),
    ).toEqual({
      transforms: 'keep,drop',
      'transforms.keep.type': 'org.apache.kafka.connect.transforms.ReplaceField$Value',
      'transforms.keep.include': 'id,name',
      'transforms.keep.replace.null.with.default': 'false',
      'transforms.drop.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.drop.predicate': 'orders',
      'transforms.drop.negate': 'true',
      predicates: 'orders',
      'predicates.orders.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.orders.pattern': 'orders.*',
    });
  });

  it('writes nothing for a connector without transforms', () => {
    expect(connectTransformProperties([])).toEqual({});
  });
});
