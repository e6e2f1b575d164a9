/** InsertHeader, DropHeaders and HeaderFrom$Key / $Value: record headers. */

import { parseDecimal } from '../converters/data/decimal.js';
import type { ConnectSchema } from '../converters/data/schema.js';
import { present } from '../invariant.js';
import type { TransformConfig } from './config.js';
import {
  buildStruct,
  dataError,
  fieldOf,
  fieldValue,
  mapGet,
  requireMap,
  requireStruct,
  SchemaCache,
  schemaBasics,
  structSchema,
} from './data.js';
import { JavaHashMap } from './java-map.js';
import { decimalToDouble } from './java-values.js';
import type { Side, Transformation, TransformHeader } from './record.js';

/**
 * `Values.parseString` for a literal: true/false, null, integers as the
 * smallest integer type that holds them, other numbers as float32 (float64
 * when out of float range), anything else as the text itself. Arrays, maps
 * and dates in the text are kept as text.
 */
export function parseLiteral(text: string): { schema: ConnectSchema | null; value: unknown } {
  const string = { schema: { type: 'string' as const, optional: false }, value: text };
  const token = text.trim();
  if (token === '') return string;
  if (token === 'true' || token === 'false')
    return { schema: { type: 'boolean', optional: false }, value: token === 'true' };
  if (token === 'null') return { schema: null, value: null };
  if (!/^[0-9+-]/.test(token)) return string;
  const decimal = parseDecimal(token);
  if (!decimal) return string;
  const { unscaled, scale } = decimal;
  const exact = scale <= 0 || unscaled % 10n ** BigInt(scale) === 0n;
  if (exact) {
    const integral = scale <= 0 ? unscaled * 10n ** BigInt(-scale) : unscaled / 10n ** BigInt(scale);
    if (BigInt.asIntN(64, integral) === integral) {
      for (const [type, bits] of [
        ['int8', 8],
        ['int16', 16],
        ['int32', 32],
      ] as const)
        if (BigInt.asIntN(bits, integral) === integral)
          return { schema: { type, optional: false }, value: Number(integral) };
      return { schema: { type: 'int64', optional: false }, value: integral };
    }
  }
  const double = decimalToDouble(decimal);
  if (scale !== 0 && Number.isFinite(Math.fround(double)))
    return { schema: { type: 'float', optional: false }, value: Math.fround(double) };
  if (scale !== 0 && Number.isFinite(double))
    return { schema: { type: 'double', optional: false }, value: double };
  return string;
}

export function insertHeader(config: TransformConfig): Transformation {
  const header = config.requiredString('header');
  const literal = parseLiteral(config.requiredString('value.literal'));
  return {
    apply(record) {
      return { ...record, headers: [...(record.headers ?? []), { key: header, ...literal }] };
    },
  };
}

export function dropHeaders(config: TransformConfig): Transformation {
  const names = new Set(config.nonEmptyList('headers'));
  return {
    apply(record) {
      return { ...record, headers: (record.headers ?? []).filter((h) => !names.has(h.key)) };
    },
  };
}

export function headerFrom(side: Side, config: TransformConfig): Transformation {
  const fields = config.nonEmptyList('fields');
  const headers = config.nonEmptyList('headers');
  if (fields.length !== headers.length)
    throw config.error('headers', `must name as many headers as fields lists (${fields.length})`);
  const operation = config.oneOf('operation', ['move', 'copy']);
  const withDefault = config.boolean('replace.null.with.default', true);
  const schemas = new SchemaCache();
  const moved = new Set(fields);
  const purpose = `header ${operation}`;
  return {
    apply(record) {
      const schema = side.schema(record);
      const value = side.value(record);
      const added: TransformHeader[] = [];
      if (schema === null) {
        const entries = requireMap(value, purpose);
        const map = JavaHashMap.copyOf(entries);
        fields.forEach((name, i) => {
          if (operation === 'move') map.remove(name);
          added.push({
            key: present(headers[i], `header name for ${name}`),
            schema: null,
            value: mapGet(value, name),
          });
        });
        return { ...side.with(record, null, map.toMap()), headers: [...(record.headers ?? []), ...added] };
      }
      const struct = requireStruct(schema, value, purpose);
      let updatedSchema = schema;
      let updated = struct;
      if (operation === 'move') {
        updatedSchema = schemas.get(schema, (s) =>
          structSchema(
            (s.fields ?? []).filter((f) => !moved.has(f.field)),
            schemaBasics(s),
          ),
        );
        updated = buildStruct(updatedSchema, (f) =>
          fieldValue(struct, present(fieldOf(schema, f.field), `input field ${f.field}`), withDefault),
        );
      }
      fields.forEach((name, i) => {
        const field = fieldOf(schema, name);
        if (!field) throw dataError(`Field does not exist: ${name}`);
        const { field: _n, ...fieldSchema } = field;
        added.push({
          key: present(headers[i], `header name for ${name}`),
          schema: fieldSchema,
          value: fieldValue(struct, field, withDefault),
        });
      });
      return { ...side.with(record, updatedSchema, updated), headers: [...(record.headers ?? []), ...added] };
    },
  };
}
