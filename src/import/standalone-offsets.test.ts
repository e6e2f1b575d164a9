import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertStandaloneOffsets } from './standalone-offsets.js';

/** Written by a real ConnectStandalone 4.2.0 (test/fixtures/connect-standalone/README.md). */
const REAL = readFileSync(
  new URL('../../test/fixtures/connect-standalone/two-file-sources-4.2.0.offsets', import.meta.url),
);

describe("converting Connect standalone's offsets for the project's offset file", () => {
  it('keeps every connector’s key and offset as the worker looks them up', () => {
    const { offsets, connectors, notes } = convertStandaloneOffsets(
      '/tmp/connect.offsets',
      REAL,
      new Set(['src-a', 'src-b']),
    );
    expect(offsets).toEqual({
      '["src-a",{"filename":"/tmp/wt-offsets-gen-9az1Qe/a.txt"}]': { position: 8 },
      '["src-b",{"filename":"/tmp/wt-offsets-gen-9az1Qe/b.txt"}]': { position: 4 },
    });
    expect([...connectors]).toEqual([
      ['src-a', 1],
      ['src-b', 1],
    ]);
    expect(notes).toEqual([]);
  });

  it('says which offsets belong to no imported connector, and keeps them', () => {
    const { offsets, notes } = convertStandaloneOffsets('/tmp/connect.offsets', REAL, new Set(['src-a']));
    expect(Object.keys(offsets)).toHaveLength(2);
    expect(notes).toEqual([
      {
        level: 'note',
        file: '/tmp/connect.offsets',
        line: 0,
        message: 'the offsets of src-b are kept, though no connector of that name was imported',
      },
    ]);
  });

  it('refuses a file that is not one, naming it', () => {
    expect(() => convertStandaloneOffsets('/tmp/connect.offsets', REAL.subarray(0, 40), new Set())).toThrow(
      /^\/tmp\/connect\.offsets is not a Kafka Connect standalone offset file/,
    );
  });
});
