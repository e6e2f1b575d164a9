import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8, MAX_CONFIG_BYTES, readConfigFile } from './config-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pipe-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(name: string) {
  const read = readConfigFile(join(dir, name), name);
  if (read.ok || read.missing) throw new Error(`expected ${name} to be refused`);
  return read.diagnostic;
}

describe('reading a config file', () => {
  it('reads a regular UTF-8 file as text', () => {
    writeFileSync(join(dir, 'ok.yaml'), 'name: café\n');
    expect(readConfigFile(join(dir, 'ok.yaml'), 'ok.yaml')).toEqual({ ok: true, text: 'name: café\n' });
  });

  it('says a file is missing without calling it an error', () => {
    expect(readConfigFile(join(dir, 'none.yaml'), 'none.yaml')).toEqual({ ok: false, missing: true });
  });

  it('refuses a folder, naming it', () => {
    mkdirSync(join(dir, 'folder.yaml'));
    expect(refusal('folder.yaml')).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      summary: 'folder.yaml is a folder, not a file',
      source: { file: 'folder.yaml', line: 1, column: 1 },
    });
  });

  it('refuses a named pipe at once instead of waiting for a writer', { timeout: 10_000 }, () => {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    expect(refusal('fifo.yaml')).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      summary: expect.stringContaining('fifo.yaml is a named pipe (FIFO), not a file'),
    });
  });

  it('refuses a symlink loop, naming the file', () => {
    symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
    symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
    expect(refusal('loop-a.yaml')).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      summary: expect.stringMatching(/^loop-a\.yaml .*symlink loop/),
    });
  });

  it('refuses a file over the size limit before reading it', () => {
    writeFileSync(join(dir, 'huge.yaml'), '');
    // Sparse: the size is there without writing the bytes.
    truncateSync(join(dir, 'huge.yaml'), MAX_CONFIG_BYTES + 1);
    expect(refusal('huge.yaml')).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      summary:
        'huge.yaml is 24.0 MB: pipe reads files up to 24.0 MB (split the pipelines into several files)',
    });
  });

  it('refuses bytes that are not UTF-8 at their line and column', () => {
    // "café" written in Latin-1 on line 3.
    const latin1 = Buffer.concat([Buffer.from('a: 1\nb: 2\nc: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    writeFileSync(join(dir, 'latin1.yaml'), latin1);
    expect(refusal('latin1.yaml')).toMatchObject({
      code: 'CONFIG_ENCODING',
      summary: expect.stringContaining('byte 0xE9 is not UTF-8'),
      source: { file: 'latin1.yaml', line: 3, column: 7 },
    });
  });

  it('counts columns in characters after multi-byte text on the same line', () => {
    const text = Buffer.concat([Buffer.from('k: ééé'), Buffer.from([0xff])]);
    writeFileSync(join(dir, 'after.yaml'), text);
    expect(refusal('after.yaml').source).toMatchObject({ line: 1, column: 7 });
  });
});

describe('finding the first byte that is not UTF-8', () => {
  const cases: [string, number[], number][] = [
    ['all ASCII', [0x61, 0x62], 2],
    ['two-, three- and four-byte characters', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], 9],
    ['a Latin-1 byte', [0x61, 0xe9, 0x62], 1],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong two-byte form', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut short by the end', [0x61, 0xe2, 0x82], 1],
    ['a sequence cut short by ASCII', [0xe2, 0x41, 0x41], 0],
  ];
  it.each(cases)('%s', (_, bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });
});
