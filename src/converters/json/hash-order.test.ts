import { describe, expect, it } from 'vitest';
import { inJavaHashMapOrder, javaHash, javaStringHash } from './hash-order.js';

describe("Java's HashMap iteration order", () => {
  it("hashes strings as Java's String.hashCode", () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('id')).toBe(3355);
    // As printed by Java 17.
    expect(javaStringHash('hello world, a longer string')).toBe(-208851919);
  });

  it('hashes boxed keys as Java does', () => {
    expect(javaHash(7, 'int32')).toBe(7);
    expect(javaHash(true)).toBe(1231);
    expect(javaHash(-1n)).toBe(0);
    expect(javaHash(1, 'double')).toBe(1072693248);
    expect(javaHash(new Uint8Array())).toBeUndefined();
  });

  it('orders keys by bucket of the final table, insertion order within a bucket', () => {
    const keys = ['amount', 'at', 'flag', 'created', 'id', 'day', 'customer', 'tags'];
    const insertion = ['id', 'customer', 'amount', 'created', 'day', 'at', 'tags', 'flag'];
    // The order Kafka Connect 3.9.1 wrote this struct's fields in after reading them schemaless.
    expect(inJavaHashMapOrder(insertion.map((k) => [k, 0])).map(([k]) => k)).toEqual(keys);
  });

  it('keeps insertion order for keys without a stable Java hash', () => {
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2]);
    expect(
      inJavaHashMapOrder(
        [
          [b, 1],
          [a, 2],
        ],
        'bytes',
      ).map(([k]) => k),
    ).toEqual([b, a]);
  });
});
