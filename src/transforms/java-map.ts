/**
 * The iteration order of a `java.util.HashMap`, which is the order Kafka
 * Connect's JsonConverter writes a schemaless map in. Connect's transforms
 * build their maps with `new HashMap<>(map)`, `new HashMap<>(n)` or
 * `new HashSet<>(list)`, and the order depends on how: the table's size comes
 * from the constructor and grows with the entries, and a map iterates bucket
 * by bucket, insertion order within a bucket (resizing keeps that order).
 * Sizes follow Java 17's HashMap, the JVM the vectors are made on. Not
 * modelled, as in the converter: buckets of eight or more colliding keys.
 */
import { javaHash } from '../converters/json/hash-order.js';

const DEFAULT_CAPACITY = 16;

/** Java's `HashMap.tableSizeFor`: the smallest power of two ≥ n (1 for n ≤ 1). */
function tableSizeFor(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

interface Slot<V> {
  value: V;
  seq: number;
}

export class JavaHashMap<V> {
  private capacity: number;
  private readonly slots = new Map<string, Slot<V>>();
  private seq = 0;

  private constructor(initialCapacity: number) {
    this.capacity = initialCapacity;
  }

  /** `new HashMap<>()`. */
  static empty<V>(): JavaHashMap<V> {
    return new JavaHashMap<V>(DEFAULT_CAPACITY);
  }

  /** `new HashMap<>(initialCapacity)`. */
  static withCapacity<V>(initialCapacity: number): JavaHashMap<V> {
    return new JavaHashMap<V>(tableSizeFor(initialCapacity));
  }

  /** `new HashMap<>(map)`: sized for the map's entries (Java 17: `size / 0.75f + 1`), filled in its order. */
  static copyOf<V>(entries: Iterable<readonly [string, V]>): JavaHashMap<V> {
    const list = [...entries];
    const capacity =
      list.length === 0
        ? DEFAULT_CAPACITY
        : tableSizeFor(Math.trunc(Math.fround(Math.fround(list.length / 0.75) + 1)));
    const map = new JavaHashMap<V>(capacity);
    for (const [key, value] of list) map.put(key, value);
    return map;
  }

  get size(): number {
    return this.slots.size;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  get(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  put(key: string, value: V): void {
    const slot = this.slots.get(key);
    if (slot) {
      slot.value = value;
      return;
    }
    this.slots.set(key, { value, seq: this.seq++ });
    if (this.slots.size > Math.floor(this.capacity * 0.75)) this.capacity *= 2;
  }

  remove(key: string): void {
    this.slots.delete(key);
  }

  /** The entries in the order the Java map iterates them. */
  entries(): Array<[string, V]> {
    const mask = this.capacity - 1;
    const rows = [...this.slots].map(([key, slot]) => {
      const hash = javaHash(key) ?? 0;
      return { key, slot, bucket: (hash ^ (hash >>> 16)) & mask };
    });
    rows.sort((a, b) => a.bucket - b.bucket || a.slot.seq - b.slot.seq);
    return rows.map((r) => [r.key, r.slot.value]);
  }

  toMap(): Map<string, V> {
    return new Map(this.entries());
  }
}

/** The order `new HashSet<>(list)` iterates the names in (it sizes its map to `max(n / .75f + 1, 16)`). */
export function javaHashSetOrder(names: readonly string[]): string[] {
  const map = JavaHashMap.withCapacity<true>(
    Math.max(Math.trunc(Math.fround(names.length / 0.75)) + 1, DEFAULT_CAPACITY),
  );
  for (const name of names) map.put(name, true);
  return map.entries().map(([key]) => key);
}
