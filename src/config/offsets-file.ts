/**
 * The file `pipe offsets set --file` reads: Kafka Connect's REST body for
 * `PATCH /connectors/{name}/offsets`, `{"offsets":[{"partition":{…},
 * "offset":{…}|null}]}` (what `pipe offsets get --json` prints). A file of
 * another shape is an error naming the file, the line and the field.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { messageOf, PipeError } from '../errors.js';
import type { ConnectorOffset } from '../runtime/offsets.js';
import { isPlainObject } from '../state/guards.js';

export interface OffsetsFile {
  file: string;
  offsets: ConnectorOffset[];
  /** The line and column of a field of an entry (`offsets[index].field`). */
  where(index: number, field?: string): { line: number; column: number };
}

function invalid(file: string, at: { line: number; column: number }, field: string, message: string) {
  return new PipeError('OFFSETS_INVALID', message, {
    meta: {
      file,
      line: at.line,
      column: at.column,
      field,
      hint: 'the file has Kafka Connect\'s REST shape, as the offsets command prints it: {"offsets":[{"partition":{…},"offset":{…}}]}',
    },
  });
}

export function parseOffsetsFile(file: string, text: string): OffsetsFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const locate = (path: (string | number)[]) => {
    // The deepest node of the path that exists: a missing field is reported where its entry is.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) {
        const { line, col } = counter.linePos(range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(file, { line: 1, column: 1 }, '', `${file} is not JSON: ${messageOf(err)}`);
  }
  const fieldPath = (index: number, field?: string) =>
    ['offsets', index, ...(field ? field.split('.') : [])] as (string | number)[];
  const where = (index: number, field?: string) => locate(fieldPath(index, field));
  if (!isPlainObject(json) || !Array.isArray(json['offsets']) || !isSeq(doc.get('offsets', true))) {
    throw invalid(file, locate(['offsets']), 'offsets', `${file}: expected {"offsets": [ … ]}`);
  }
  if (!isMap(doc.contents)) throw invalid(file, locate([]), '', `${file}: expected a JSON object`);
  const offsets: ConnectorOffset[] = [];
  json['offsets'].forEach((entry: unknown, index: number) => {
    const field = `offsets[${index}]`;
    if (!isPlainObject(entry))
      throw invalid(file, where(index), field, `${file}: ${field} is not {"partition":…, "offset":…}`);
    const { partition, offset } = entry;
    // A missing offset is not taken for null: that would remove the partition's offset by accident.
    if (!('offset' in entry))
      throw invalid(
        file,
        where(index),
        `${field}.offset`,
        `${file}: ${field} has no "offset" (null removes it)`,
      );
    if (!isPlainObject(partition))
      throw invalid(
        file,
        where(index, 'partition'),
        `${field}.partition`,
        `${file}: ${field}.partition must be a JSON object`,
      );
    if (offset !== null && !isPlainObject(offset))
      throw invalid(
        file,
        where(index, 'offset'),
        `${field}.offset`,
        `${file}: ${field}.offset must be a JSON object, or null to remove the partition's offset`,
      );
    offsets.push({ partition, offset: offset as Record<string, unknown> | null });
  });
  if (offsets.length === 0)
    throw invalid(file, locate(['offsets']), 'offsets', `${file}: the offsets list is empty: nothing to set`);
  return { file, offsets, where };
}

export async function readOffsetsFile(path: string): Promise<OffsetsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PipeError('CONFIG_UNREADABLE', `cannot read ${path}: ${messageOf(err)}`, {
      meta: { file: path },
    });
  }
  return parseOffsetsFile(path, text);
}
