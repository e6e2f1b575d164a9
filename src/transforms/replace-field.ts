/** ReplaceField$Key / $Value: keeps (include), drops (exclude) and renames fields. */

import type { ConnectSchema } from '../converters/data/schema.js';
import { present } from '../invariant.js';
import type { TransformConfig } from './config.js';
import {
  asField,
  buildStruct,
  namedValue,
  requireMap,
  requireStruct,
  SchemaCache,
  schemaBasics,
  structSchema,
} from './data.js';
import { JavaHashMap } from './java-map.js';
import type { Side, Transformation } from './record.js';

const PURPOSE = 'field replacement';

/** `old:new` pairs; anything else is a config error, as Connect's validator says. */
export function parseRenames(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length !== 2) throw new Error(`Invalid rename mapping: ${mapping}`);
    renames.set(present(parts[0], 'rename source'), present(parts[1], 'rename target'));
  }
  return renames;
}

/** Java's `String.split(regex)` for a one-character separator: trailing empty strings are dropped. */
export function javaSplit(text: string, separator: string): string[] {
  if (text === '') return [''];
  const parts = text.split(separator);
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

export function replaceField(side: Side, config: TransformConfig): Transformation {
  const exclude = new Set(config.list('exclude'));
  const include = new Set(config.list('include'));
  let renames: Map<string, string>;
  try {
    renames = parseRenames(config.list('renames'));
  } catch (err) {
    throw config.error('renames', `must be old:new pairs (${(err as Error).message})`);
  }
  const reverse = new Map([...renames].map(([from, to]) => [to, from]));
  const withDefault = config.boolean('replace.null.with.default', true);
  const schemas = new SchemaCache();
  const keep = (name: string) => !exclude.has(name) && (include.size === 0 || include.has(name));
  const renamed = (name: string) => renames.get(name) ?? name;

  const updatedSchema = (schema: ConnectSchema): ConnectSchema =>
    structSchema(
      (schema.fields ?? []).filter((f) => keep(f.field)).map((f) => asField(renamed(f.field), f)),
      schemaBasics(schema),
    );

  return {
    apply(record) {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      const schema = side.schema(record);
      if (schema === null) {
        const entries = requireMap(value, PURPOSE);
        const map = JavaHashMap.withCapacity<unknown>(entries.length);
        for (const [name, v] of entries) if (keep(name)) map.put(renamed(name), v);
        return side.with(record, null, map.toMap());
      }
      const struct = requireStruct(schema, value, PURPOSE);
      const updated = schemas.get(schema, updatedSchema);
      const out = buildStruct(updated, (f) =>
        namedValue(schema, struct, reverse.get(f.field) ?? f.field, withDefault),
      );
      return side.with(record, updated, out);
    },
  };
}
