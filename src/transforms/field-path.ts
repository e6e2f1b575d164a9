/**
 * Connect's `SingleFieldPath` (KIP-821): with `field.syntax.version` V1 the
 * setting is one field name; with V2 dots step into nested structs or maps
 * and backticks quote a name that holds dots (a backslash escapes a backtick
 * that would end the quote).
 */

import type { ConnectField, ConnectSchema } from '../converters/data/schema.js';
import { isPlainObject } from '../converters/data/validate.js';
import { PipeError } from '../errors.js';
import { present } from '../invariant.js';
import { dataError, fieldOf, fieldValue, isMap, mapGet, requireMap } from './data.js';

export type FieldSyntaxVersion = 'V1' | 'V2';

export function parseFieldPath(text: string, version: FieldSyntaxVersion): string[] {
  return version === 'V1' ? [text] : stepsV2(text);
}

function stepsV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length && idx >= 0) {
    if (path[idx] !== '`') {
      const start = idx;
      idx = path.indexOf('.', idx);
      if (idx >= 0) {
        steps.push(path.slice(start, idx));
        idx++;
      } else steps.push(path.slice(start));
      continue;
    }
    const backtickAt = idx;
    idx++;
    let field = '';
    let start = idx;
    for (;;) {
      idx = path.indexOf('`', idx);
      if (idx === -1) incomplete(path, backtickAt);
      const escaped = path[idx - 1] === '\\';
      if (idx >= path.length - 1) {
        if (escaped) incomplete(path, backtickAt);
        steps.push(field + path.slice(start, idx));
        idx++;
        break;
      }
      if (path[idx + 1] !== '.') {
        idx++;
        continue;
      }
      if (escaped) {
        field += `${path.slice(start, idx - 1)}\``;
        idx++;
        start = idx;
        continue;
      }
      steps.push(field + path.slice(start, idx));
      idx += 2;
      break;
    }
  }
  if (path.endsWith('.')) steps.push('');
  return steps;
}

function incomplete(path: string, at: number): never {
  throw new PipeError(
    'TRANSFORM_CONFIG',
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`,
  );
}

/** `fieldFrom(schema)`: the field the path names, or undefined. */
export function fieldAt(steps: readonly string[], schema: ConnectSchema): ConnectField | undefined {
  let current: ConnectSchema = schema;
  for (const step of steps.slice(0, -1)) {
    const field = fieldOf(current, step);
    if (!field) return undefined;
    current = field;
  }
  return fieldOf(current, present(steps.at(-1), 'last field path step'));
}

/** `valueFrom(struct)`: null when a step is missing or null. */
export function structValueAt(
  steps: readonly string[],
  schema: ConnectSchema,
  struct: Record<string, unknown>,
  withDefault: boolean,
): unknown {
  let currentSchema: ConnectSchema = schema;
  let current = struct;
  for (const step of steps.slice(0, -1)) {
    const field = fieldOf(currentSchema, step);
    if (!field) return null;
    const inner = fieldValue(current, field);
    if (inner === null) return null;
    if (field.type !== 'struct' || !isPlainObject(inner))
      throw dataError('Only Struct objects supported for [nested field access]');
    current = inner;
    currentSchema = field;
  }
  const last = fieldOf(currentSchema, present(steps.at(-1), 'last field path step'));
  return last ? fieldValue(current, last, withDefault) : null;
}

/** `valueFrom(map)`: null when a step is missing. */
export function mapValueAt(steps: readonly string[], map: unknown): unknown {
  let current = map;
  for (const step of steps.slice(0, -1)) {
    const inner = mapGet(current, step);
    if (inner === null) return null;
    if (!isMap(inner)) requireMap(inner, 'nested field access');
    current = inner;
  }
  return mapGet(current, present(steps.at(-1), 'last field path step'));
}
