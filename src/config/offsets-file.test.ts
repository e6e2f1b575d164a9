import { describe, expect, it } from 'vitest';
import { PipeError } from '../errors.js';
import { parseOffsetsFile } from './offsets-file.js';

function failure(text: string): PipeError {
  try {
    parseOffsetsFile('offsets.json', text);
  } catch (err) {
    if (err instanceof PipeError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('parseOffsetsFile', () => {
  it("reads Kafka Connect's REST body, null offsets included", () => {
    const file = parseOffsetsFile(
      'offsets.json',
      '{"offsets":[{"partition":{"filename":"/in"},"offset":{"position":3}},{"partition":{"filename":"/b"},"offset":null}]}',
    );
    expect(file.offsets).toEqual([
      { partition: { filename: '/in' }, offset: { position: 3 } },
      { partition: { filename: '/b' }, offset: null },
    ]);
  });

  it('names the file, the line and the field of an entry of the wrong shape', () => {
    const err = failure(`{
  "offsets": [
    { "partition": { "filename": "/in" }, "offset": { "position": 3 } },
    { "partition": "/in", "offset": { "position": 3 } }
  ]
}`);
    expect(err.code).toBe('OFFSETS_INVALID');
    expect(err.meta).toMatchObject({ file: 'offsets.json', line: 4, field: 'offsets[1].partition' });
  });

  it('refuses a file that is not JSON, an object without an offsets list, a missing offset and an empty list', () => {
    expect(failure('{"offsets": [').message).toContain('is not JSON');
    expect(failure('[{"partition":{},"offset":{}}]').meta.field).toBe('offsets');
    expect(failure('{"offsets":[{"partition":{"a":1}}]}').message).toContain('has no "offset"');
    expect(failure('{"offsets":[]}').message).toContain('empty');
  });
});
