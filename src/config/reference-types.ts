/**
 * A value written as one reference (`port: ${env:PORT}`, `partitions: "${var:n}"`)
 * is text until it is known where it goes: it takes the type its field needs
 * (a number, true/false, or text) when its text reads as that type. Quoting
 * references is then harmless, which matters in flow maps (`{ a: "${env:A}" }`)
 * where YAML requires the quotes.
 */
import type { ErrorObject } from 'ajv';
import type { SensitiveValidator } from './schemas.js';
import { segmentsOf } from './yaml-source.js';

export function validateWithReferenceTypes(
  validate: SensitiveValidator,
  document: unknown,
  references: ReadonlySet<string>,
  sensitive: Set<string>,
): ErrorObject[] {
  const errors = validate(document, sensitive);
  let changed = false;
  for (const error of errors) {
    if (error.keyword !== 'type' || !references.has(error.instancePath)) continue;
    const wanted = ([] as string[]).concat(error.params['type'] as string | string[]);
    const converted = convert(error.data, wanted);
    if (converted === undefined) continue;
    changed = setAt(document, error.instancePath, converted) || changed;
  }
  return changed ? validate(document, sensitive) : errors;
}

function convert(value: unknown, types: string[]): unknown {
  const text = String(value);
  for (const type of types) {
    if ((type === 'integer' || type === 'number') && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
      const n = Number(text);
      if (type === 'number' || Number.isInteger(n)) return n;
    }
    if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
    if (type === 'string') return text;
  }
  return undefined;
}

function setAt(document: unknown, pointer: string, value: unknown): boolean {
  const segments = segmentsOf(pointer);
  const last = segments.pop();
  let parent: unknown = document;
  for (const segment of segments) parent = (parent as Record<string, unknown> | undefined)?.[segment];
  if (last === undefined || typeof parent !== 'object' || parent === null) return false;
  (parent as Record<string, unknown>)[last] = value;
  return true;
}
