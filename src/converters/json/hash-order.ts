/**
 * Connect reads every JSON map into a `java.util.HashMap` and writes it back
 * in that map's iteration order. Reading maps into that same order makes
 * pipe's read-then-write bytes equal Connect's. The order is a pure function
 * of the keys' Java hash codes and insertion order: bucket by bucket in the
 * final table, insertion order within a bucket (resizing keeps it). Keys
 * without a stable Java hash (bytes, structs) keep insertion order, as
 * Connect's own order for them is not reproducible anyway. Not modelled: a
 * bucket of eight or more colliding keys, which makes Java grow or treeify
 * its table; key order then may differ, never the keys and values.
 */

import type { SchemaType } from '../data/schema.js';

const DEFAULT_CAPACITY = 16;
const LOAD_FACTOR = 0.75;

/** Java's `String.hashCode()`, over UTF-16 code units as Java strings are. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

const view = new DataView(new ArrayBuffer(8));

/**
 * Java's `hashCode()` of a boxed Connect key of the given schema type (a JS
 * number may be an Integer or a Double), or undefined where Java's would be
 * an identity hash.
 */
export function javaHash(key: unknown, type: SchemaType = 'string'): number | undefined {
  if (typeof key === 'string') return javaStringHash(key);
  if (typeof key === 'boolean') return key ? 1231 : 1237;
  if (typeof key === 'bigint') return Number(BigInt.asIntN(32, key ^ (BigInt.asUintN(64, key) >> 32n)));
  if (typeof key !== 'number') return undefined;
  switch (type) {
    case 'float':
      view.setFloat32(0, key);
      return view.getInt32(0);
    case 'double':
      view.setFloat64(0, key);
      return view.getInt32(0) ^ view.getInt32(4);
    default:
      return key | 0;
  }
}

function tableSize(entries: number): number {
  let capacity = DEFAULT_CAPACITY;
  while (entries > capacity * LOAD_FACTOR) capacity *= 2;
  return capacity;
}

/** Orders a map's entries the way a HashMap filled in this order iterates them. */
export function inJavaHashMapOrder<K, V>(entries: Array<[K, V]>, keyType?: SchemaType): Array<[K, V]> {
  if (entries.length < 2) return entries;
  const mask = tableSize(entries.length) - 1;
  const buckets: number[] = [];
  for (const [key] of entries) {
    const hash = javaHash(key, keyType);
    if (hash === undefined) return entries;
    buckets.push((hash ^ (hash >>> 16)) & mask);
  }
  const order = entries.map((entry, i) => ({ entry, i, bucket: buckets[i] ?? 0 }));
  order.sort((a, b) => a.bucket - b.bucket || a.i - b.i);
  return order.map((o) => o.entry);
}
