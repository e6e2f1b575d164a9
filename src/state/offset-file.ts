/**
 * The worker's offset file (`worker.offsetStorage: file`):
 * `{"version":1,"offsets":{"[\"<connector>\",{partition}]":{offset}}}`, the
 * keys and values of Connect's offsets as JSON. The worker's store and
 * `pipe offsets` both read it here, so a file either cannot use is refused
 * the same way: with its path and the reason, never a wait.
 */
import { readFile } from 'node:fs/promises';
import { messageOf, PipeError } from '../errors.js';
import { isPlainObject } from './guards.js';
import { isJavaSerialized } from './standalone-offsets.js';

export type OffsetFileOffsets = Record<string, Record<string, unknown>>;

/** The stored offsets by key text; none when the file does not exist yet. */
export async function readOffsetFile(path: string): Promise<OffsetFileOffsets> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new PipeError('STATE_CORRUPT', `cannot read offset file ${path}: ${messageOf(err)}`, {
      meta: { file: path },
    });
  }
  if (isJavaSerialized(bytes)) {
    throw new PipeError(
      'STATE_CORRUPT',
      `offset file ${path} is Kafka Connect standalone's (Java-serialized), not pipe's: pipe keeps its own JSON offset file and never writes Connect's`,
      {
        meta: {
          file: path,
          hint: "import the Connect worker file again (pipe import converts Connect's offsets into the project's offset file), or point worker.offsetFile at another file to read every source from its start",
        },
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new PipeError('STATE_CORRUPT', `offset file ${path} is not JSON: ${messageOf(err)}`, {
      meta: { file: path, hint: 'remove it to read every source from its start' },
    });
  }
  if (!isPlainObject(parsed) || (parsed['offsets'] !== undefined && !isPlainObject(parsed['offsets']))) {
    throw new PipeError('STATE_CORRUPT', `offset file ${path} is not pipe's offset file`, {
      meta: { file: path, hint: 'pipe\'s offset file is {"version":1,"offsets":{…}}' },
    });
  }
  return (parsed['offsets'] ?? {}) as OffsetFileOffsets;
}

export function offsetFileText(offsets: OffsetFileOffsets): string {
  return `${JSON.stringify({ version: 1, offsets }, null, 2)}\n`;
}
