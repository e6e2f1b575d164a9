import { describe, expect, it } from 'vitest';
import { checkOffsets, offsetChanges, partitionId, sinkOffset } from './offsets.js';

const fileSource = {
  kind: 'source' as const,
  name: 'lines',
  connector: 'file',
  config: { file: '/data/in.txt' },
};
const sink = { kind: 'sink' as const, name: 'out', connector: 'file', config: {}, topics: ['orders'] };

describe('partitionId', () => {
  it('is the same whatever the order of the keys, as Connect compares partitions as maps', () => {
    expect(partitionId({ a: 1, b: { d: 2, c: 3 } })).toBe(partitionId({ b: { c: 3, d: 2 }, a: 1 }));
    expect(partitionId({ a: 1 })).not.toBe(partitionId({ a: 2 }));
  });
});

describe('offsetChanges', () => {
  const current = [
    { partition: { filename: '/data/in.txt' }, offset: { position: 35 } },
    { partition: { filename: '/data/other.txt' }, offset: { position: 7 } },
  ];

  it('lists only partitions whose offset differs, with before and after', () => {
    expect(
      offsetChanges(current, [
        { partition: { filename: '/data/in.txt' }, offset: { position: 0 } },
        { partition: { filename: '/data/other.txt' }, offset: { position: 7 } },
        { partition: { filename: '/data/new.txt' }, offset: { position: 3 } },
      ]),
    ).toEqual([
      { partition: { filename: '/data/in.txt' }, before: { position: 35 }, after: { position: 0 } },
      { partition: { filename: '/data/new.txt' }, before: null, after: { position: 3 } },
    ]);
  });

  it('a null offset removes a partition; a reset removes every one', () => {
    expect(offsetChanges(current, [{ partition: { filename: '/data/other.txt' }, offset: null }])).toEqual([
      { partition: { filename: '/data/other.txt' }, before: { position: 7 }, after: null },
    ]);
    expect(offsetChanges(current, 'reset').map((c) => c.after)).toEqual([null, null]);
    expect(offsetChanges([], 'reset')).toEqual([]);
  });
});

describe('checkOffsets', () => {
  it('accepts what get printed', () => {
    expect(
      checkOffsets(fileSource, [{ partition: { filename: '/data/in.txt' }, offset: { position: 3 } }]),
    ).toEqual([]);
    expect(
      checkOffsets(sink, [sinkOffset('orders', 0, 5)], { partitions: new Map([['orders', 1]]) }),
    ).toEqual([]);
  });

  it("refuses a file source partition that is not the connector's file, and a position that is not a count", () => {
    const problems = checkOffsets(fileSource, [
      { partition: { filename: '/data/elsewhere.txt' }, offset: { position: -1 } },
    ]);
    expect(problems.map((p) => p.field)).toEqual(['partition', 'offset.position']);
    expect(problems[0]?.message).toContain('{"filename":"/data/in.txt"}');
  });

  it('refuses a sink partition the topic does not have, a topic the sink does not read, and a bad offset', () => {
    const partitions = new Map([['orders', 3]]);
    expect(checkOffsets(sink, [sinkOffset('orders', 3, 0)], { partitions })[0]?.message).toBe(
      'topic orders has no partition 3 (it has 3: 0 to 2)',
    );
    expect(checkOffsets(sink, [sinkOffset('payments', 0, 0)], { partitions })[0]?.message).toContain(
      'does not read topic payments',
    );
    expect(
      checkOffsets(
        sink,
        [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 'x' } }],
        {
          partitions,
        },
      ).map((p) => p.field),
    ).toEqual(['offset.kafka_offset']);
    expect(
      checkOffsets(sink, [{ partition: { kafka_topic: 'orders' }, offset: { kafka_offset: 1 } }], {
        partitions,
      }).map((p) => p.field),
    ).toEqual(['partition.kafka_partition']);
  });

  it('accepts a sink offset given as text, as Connect does, and refuses one partition twice', () => {
    const partitions = new Map([['orders', 1]]);
    expect(
      checkOffsets(
        sink,
        [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: '12' } }],
        {
          partitions,
        },
      ),
    ).toEqual([]);
    expect(
      checkOffsets(sink, [sinkOffset('orders', 0, 1), sinkOffset('orders', 0, 2)], { partitions })[0]
        ?.message,
    ).toBe('the same partition as entry 0');
  });

  it('for other sources, takes only partitions the connector has offsets for', () => {
    const datagen = { kind: 'source' as const, name: 'gen', connector: 'datagen', config: {} };
    const currentPartitions = [{ task: 0 }];
    expect(
      checkOffsets(datagen, [{ partition: { task: 0 }, offset: { n: 1 } }], { currentPartitions }),
    ).toEqual([]);
    expect(
      checkOffsets(datagen, [{ partition: { task: 1 }, offset: { n: 1 } }], { currentPartitions })[0]
        ?.message,
    ).toBe('source gen has no partition {"task":1} (it has {"task":0})');
  });
});
