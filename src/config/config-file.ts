/**
 * Reading one of the project's files as text, refusing what is not a config
 * file: a folder, a FIFO or device (reading one would block or never end), a
 * symlink loop, a file too large to read quickly, bytes that are not UTF-8.
 * Each refusal is a diagnostic naming the file, never a thrown system error.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { present } from '../invariant.js';
import type { Diagnostic } from './diagnostics.js';

/**
 * Far above any real file (a thousand topics with their settings take under
 * 200 KB), low enough that reading one takes seconds and stays well inside
 * Node's heap: a parsed file takes about a hundred times its size in memory.
 */
export const MAX_CONFIG_BYTES = 24 * 1024 * 1024;

export type ConfigFileRead =
  | { ok: true; text: string }
  | { ok: false; missing: true }
  /** `reason` is the diagnostic's message without the file's name. */
  | { ok: false; missing: false; diagnostic: Diagnostic; reason: string };

/** `path` is where the file is; `file` is how it is named to the user (relative to the project). */
export function readConfigFile(path: string, file: string): ConfigFileRead {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a folder on the way is a file, so there is no such file either.
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true };
    return refused(file, openFailure(code, err));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return refused(file, notAFile(stats));
    if (stats.size > MAX_CONFIG_BYTES) {
      return refused(
        file,
        `is ${megabytes(stats.size)}: pipe reads files up to ${megabytes(MAX_CONFIG_BYTES)} (split the pipelines into several files)`,
      );
    }
    return decode(readFileSync(fd), file);
  } catch (err) {
    return refused(file, `cannot be read: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

function openFailure(code: string | undefined, err: unknown): string {
  switch (code) {
    case 'ELOOP':
      return 'is a symbolic link that leads back to itself (a symlink loop)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ENXIO':
      return 'is a socket, not a file';
    default:
      return `cannot be read: ${(err as Error).message}`;
  }
}

function notAFile(stats: Stats): string {
  if (stats.isDirectory()) return 'is a folder, not a file';
  const kind = stats.isFIFO()
    ? 'a named pipe (FIFO)'
    : stats.isSocket()
      ? 'a socket'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : 'not a regular file';
  return `is ${kind}, not a file: pipe reads only regular files`;
}

function decode(bytes: Buffer, file: string): ConfigFileRead {
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const offset = firstInvalidUtf8(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  const column = bytes.subarray(lineStart, offset).toString('utf8').length + 1;
  const byte = present(bytes[offset], 'the byte that is not UTF-8')
    .toString(16)
    .toUpperCase()
    .padStart(2, '0');
  const reason = `byte 0x${byte} is not UTF-8: pipe reads files as UTF-8 (was it saved as Latin-1 or another encoding?)`;
  return {
    ok: false,
    missing: false,
    reason,
    diagnostic: {
      severity: 'error',
      code: 'CONFIG_ENCODING',
      summary: reason,
      source: { file, line, column, pointer: '' },
    },
  };
}

/** Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    // biome-ignore lint/style/noNonNullAssertion: i < bytes.length, the loop's condition
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: how many continuation bytes follow, and the range the first one must be in
    // (excluding overlong forms, surrogates and code points beyond U+10FFFF).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= length; k++) {
      const c = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += length + 1;
  }
  return bytes.length;
}

function refused(file: string, reason: string): ConfigFileRead {
  return {
    ok: false,
    missing: false,
    reason,
    diagnostic: {
      severity: 'error',
      code: 'CONFIG_UNREADABLE',
      summary: `${file} ${reason}`,
      source: { file, line: 1, column: 1, pointer: '' },
    },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
