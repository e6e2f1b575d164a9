import { describe, expect, it } from 'vitest';
import { offsetRecords } from './embedded-offsets.js';

describe('offsetRecords', () => {
  it("keeps a stored partition's key bytes whatever the order of the keys given, and tombstones a null offset", () => {
    const current = [{ key: '["src",{"b":1,"a":2}]', partition: { b: 1, a: 2 }, offset: { n: 1 } }];
    const records = offsetRecords('src', current, [
      { partition: { a: 2, b: 1 }, offset: { n: 5 } },
      { partition: { c: 3 }, offset: null },
    ]);
    expect(records.map((r) => [r.key.toString(), r.value?.toString() ?? null])).toEqual([
      ['["src",{"b":1,"a":2}]', '{"n":5}'],
      ['["src",{"c":3}]', null],
    ]);
  });
});
