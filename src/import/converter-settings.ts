/**
 * Kafka Connect converter settings (`key.converter=…`, `key.converter.schemas.enable=…`)
 * → pipe's converter declarations, for worker and connector files alike.
 */

import type { ConverterSettings } from '../config/types.gen.js';
import { present } from '../invariant.js';
import type { ImportNote, Settings } from './settings.js';

const CONVERTERS: Record<string, ConverterSettings['converter']> = {
  JsonConverter: 'json',
  StringConverter: 'string',
  ByteArrayConverter: 'bytearray',
};

/** Connect's own header converter, whose strings-first behaviour pipe's `string` header converter follows. */
const DEFAULT_HEADER_CONVERTER = 'SimpleHeaderConverter';

export const CONVERTER_ROLES = ['key', 'value', 'header'] as const;
export type ConverterRole = (typeof CONVERTER_ROLES)[number];

/**
 * The converter declared under `<role>.converter`, or undefined when the
 * settings say nothing (or nothing pipe can run). Consumes the keys it reads.
 */
export function importConverter(
  settings: Settings,
  role: ConverterRole,
  notes: ImportNote[],
): ConverterSettings | undefined {
  const prefix = `${role}.converter`;
  const cls = settings.take(prefix);
  const schemas = settings.take(`${prefix}.schemas.enable`);
  const decimal = settings.take(`${prefix}.decimal.format`);
  const out: ConverterSettings = {};
  if (cls) {
    const simple = cls.value.slice(cls.value.lastIndexOf('.') + 1);
    const type = CONVERTERS[simple];
    if (type) out.converter = type;
    else if (simple !== DEFAULT_HEADER_CONVERTER) {
      notes.push(
        settings.note(
          'warning',
          cls.line,
          `${prefix}=${cls.value} is not a converter pipe runs; left out (${role}s use the project default)`,
        ),
      );
    }
  }
  if (schemas) out.schemas = schemas.value.trim().toLowerCase() === 'true';
  if (decimal && (decimal.value === 'BASE64' || decimal.value === 'NUMERIC'))
    out.decimalFormat = decimal.value;
  for (const key of settings.keys()) {
    if (key.startsWith(`${prefix}.`)) {
      const { line } = present(settings.take(key), key);
      notes.push(settings.note('warning', line, `${key} has no pipe equivalent; ignored`));
    }
  }
  return Object.keys(out).length ? out : undefined;
}
