/**
 * Connect standalone's offset file → the project's offset file. Pure: the
 * caller reads Connect's file and writes the result.
 *
 * Each entry keeps Connect's key and offset; the key is written as pipe
 * writes it (`["<connector>",{partition}]`, fields in the order Connect's
 * JSON gave them), which is how the worker looks a partition up.
 */
import { isAbsolute } from 'node:path';
import { isPlainObject } from '../state/guards.js';
import type { OffsetFileOffsets } from '../state/offset-file.js';
import { decodeOffsetKey, offsetKey } from '../state/records.js';
import { parseStandaloneOffsets } from '../state/standalone-offsets.js';
import type { ImportNote } from './settings.js';

export interface ConvertedOffsets {
  offsets: OffsetFileOffsets;
  /** How many partitions each connector has an offset for. */
  connectors: Map<string, number>;
  notes: ImportNote[];
}

/**
 * `file` names Connect's file in notes and errors; `imported` are the
 * connectors this import writes (the offsets of others are kept, and said).
 */
export function convertStandaloneOffsets(
  file: string,
  bytes: Buffer,
  imported: ReadonlySet<string>,
): ConvertedOffsets {
  const offsets: OffsetFileOffsets = {};
  const connectors = new Map<string, number>();
  const notes: ImportNote[] = [];
  const note = (level: ImportNote['level'], message: string) => notes.push({ level, file, line: 0, message });
  for (const entry of parseStandaloneOffsets(file, bytes)) {
    const id = decodeOffsetKey(entry.key);
    if (!id) {
      note(
        'warning',
        `skipped an entry whose key is not ["<connector>",{partition}]: ${entry.key.toString('utf8')}`,
      );
      continue;
    }
    // Connect removed this offset (a reset): there is nothing to carry.
    if (entry.value === null) continue;
    let offset: unknown;
    try {
      offset = JSON.parse(entry.value.toString('utf8'));
    } catch {
      offset = undefined;
    }
    if (!isPlainObject(offset)) {
      note(
        'warning',
        `skipped ${id.connector}'s offset, which is not a JSON object: ${entry.value.toString('utf8')}`,
      );
      continue;
    }
    offsets[offsetKey(id.connector, id.partition).toString('utf8')] = offset;
    connectors.set(id.connector, (connectors.get(id.connector) ?? 0) + 1);
    const filename = id.partition['filename'];
    if (typeof filename === 'string' && !isAbsolute(filename))
      note(
        'warning',
        `${id.connector}'s offset is for ${filename}, a relative path: pipe resolves a file source's relative path against the project folder, so it will not find this offset and reads the file from its start; set it with pipe offsets set, or give Connect absolute paths`,
      );
  }
  for (const name of connectors.keys())
    if (!imported.has(name))
      note('note', `the offsets of ${name} are kept, though no connector of that name was imported`);
  return { offsets, connectors, notes };
}
