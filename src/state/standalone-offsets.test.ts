import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isJavaSerialized, parseStandaloneOffsets } from './standalone-offsets.js';

/** Written by a real ConnectStandalone 4.2.0 (test/fixtures/connect-standalone/README.md). */
const REAL = readFileSync(
  new URL('../../test/fixtures/connect-standalone/two-file-sources-4.2.0.offsets', import.meta.url),
);
const A_KEY = '["src-a",{"filename":"/tmp/wt-offsets-gen-9az1Qe/a.txt"}]';
const B_KEY = '["src-b",{"filename":"/tmp/wt-offsets-gen-9az1Qe/b.txt"}]';

/** The real file up to its first entry: the HashMap's class, fields and block data (16 buckets, 2 entries). */
const HEAD = REAL.subarray(0, REAL.indexOf(Buffer.from('ur', 'latin1')));

function withSize(size: number): Buffer {
  const head = Buffer.from(HEAD);
  head.writeInt32BE(size, head.length - 4);
  return head;
}

const int = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** A new byte[] the way ObjectOutputStream writes the first one of a stream. */
const firstArray = (text: string) =>
  Buffer.concat([
    Buffer.from('757200025b42acf317f8060854e00200007870', 'hex'),
    int(text.length),
    Buffer.from(text),
  ]);

describe("reading Connect standalone's offset file", () => {
  it('recognises a Java serialization stream by its first bytes', () => {
    expect(isJavaSerialized(REAL)).toBe(true);
    expect(isJavaSerialized(Buffer.from('{"version":1}'))).toBe(false);
  });

  it('gives every key and value of a file a real ConnectStandalone wrote, back-referenced classes included', () => {
    const entries = parseStandaloneOffsets('connect.offsets', REAL);
    expect(entries.map((e) => [e.key.toString(), e.value?.toString()])).toEqual([
      [A_KEY, '{"position":8}'],
      [B_KEY, '{"position":4}'],
    ]);
  });

  it('reads an empty map, and a removed offset as a null value', () => {
    expect(parseStandaloneOffsets('f', Buffer.concat([withSize(0), Buffer.from([0x78])]))).toEqual([]);
    const removed = Buffer.concat([withSize(1), firstArray(A_KEY), Buffer.from([0x70, 0x78])]);
    expect(parseStandaloneOffsets('f', removed)).toEqual([{ key: Buffer.from(A_KEY), value: null }]);
  });

  it('refuses a file cut short, naming the file and where it ends', () => {
    const cut = REAL.subarray(0, REAL.length - 10);
    expect(() => parseStandaloneOffsets('/x/connect.offsets', cut)).toThrow(
      expect.objectContaining({
        code: 'STATE_CORRUPT',
        message: expect.stringMatching(
          /^\/x\/connect\.offsets is not a Kafka Connect standalone offset file .*ends at byte 267/,
        ),
        meta: expect.objectContaining({ file: '/x/connect.offsets' }),
      }),
    );
  });

  it('refuses a stream of another class without interpreting it', () => {
    const other = Buffer.from(REAL);
    other.write('java.util.TreeMap', 8, 'latin1');
    expect(() => parseStandaloneOffsets('f', other)).toThrow(
      /holds a java\.util\.TreeMap, not a java\.util\.HashMap/,
    );
  });

  it('refuses an entry that is not a byte[]', () => {
    const text = Buffer.concat([withSize(1), Buffer.from([0x74, 0, 1, 0x41])]);
    expect(() => parseStandaloneOffsets('f', text)).toThrow(/expected a byte\[\], found 0x74/);
  });

  it('refuses bytes that are not a Java serialization stream', () => {
    expect(() => parseStandaloneOffsets('f', Buffer.from('{"offsets":{}}'))).toThrow(
      /not a Java serialization stream/,
    );
  });
});
