/** MaskField$Key / $Value: replaces fields with their type's empty value, or a replacement. */
import { parseDecimal } from '../converters/data/decimal.js';
import type { ConnectSchema } from '../converters/data/schema.js';
import type { TransformConfig } from './config.js';
import { buildStruct, dataError, fieldValue, mapGet, requireMap, requireStruct } from './data.js';
import { JavaHashMap, javaHashSetOrder } from './java-map.js';
import {
  decimalToBigInt,
  decimalToDouble,
  type JavaClass,
  javaClassName,
  javaClassOf,
} from './java-values.js';
import type { Side, Transformation } from './record.js';

const PURPOSE = 'mask fields';

/** The "null value" Connect masks each class with. */
function emptyOf(cls: JavaClass | undefined): unknown {
  switch (cls) {
    case 'Boolean':
      return false;
    case 'Byte':
    case 'Short':
    case 'Integer':
    case 'Float':
    case 'Double':
      return 0;
    case 'Long':
      return 0n;
    case 'BigDecimal':
      return { unscaled: 0n, scale: 0 };
    case 'Date':
      return new Date(0);
    case 'String':
      return '';
    case 'List':
      return [];
    case 'Map':
      return new Map();
    default:
      throw dataError(`Cannot mask value of type: ${javaClassName(cls)}`);
  }
}

/** `Values.convertToLong(null, text)` and friends: the text read as Connect reads a number. */
function parseNumber(text: string): { long: bigint; double: number } {
  const decimal = parseDecimal(text.trim());
  if (!decimal) throw dataError(`Unable to convert ${text} (class java.lang.String) to number`);
  return { long: decimalToBigInt(decimal), double: decimalToDouble(decimal) };
}

function replacementOf(cls: JavaClass | undefined, replacement: string): unknown {
  switch (cls) {
    case 'Byte':
      return Number(BigInt.asIntN(8, parseNumber(replacement).long));
    case 'Short':
      return Number(BigInt.asIntN(16, parseNumber(replacement).long));
    case 'Integer':
      return Number(BigInt.asIntN(32, parseNumber(replacement).long));
    case 'Long':
      return BigInt.asIntN(64, parseNumber(replacement).long);
    case 'Float':
      return Math.fround(parseNumber(replacement).double);
    case 'Double':
      return parseNumber(replacement).double;
    case 'String':
      return replacement;
    case 'BigDecimal': {
      const decimal = parseDecimal(replacement);
      if (!decimal) throw dataError(`Unable to convert ${replacement} (class java.lang.String) to number`);
      return decimal;
    }
    default:
      throw dataError(`Cannot mask value of type ${javaClassName(cls)} with custom replacement.`);
  }
}

export function maskField(side: Side, config: TransformConfig): Transformation {
  const fields = javaHashSetOrder(config.nonEmptyList('fields'));
  const masked = new Set(fields);
  const replacement = config.string('replacement');
  if (replacement === '') throw config.error('replacement', 'must not be empty');
  const withDefault = config.boolean('replace.null.with.default', true);
  const mask = (schema: ConnectSchema | null, value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    const cls = javaClassOf(schema, value);
    return replacement === undefined ? emptyOf(cls) : replacementOf(cls, replacement);
  };
  return {
    apply(record) {
      const schema = side.schema(record);
      const value = side.value(record);
      if (schema === null) {
        const map = JavaHashMap.copyOf(requireMap(value, PURPOSE));
        for (const name of fields) map.put(name, mask(null, mapGet(value, name)));
        return side.with(record, null, map.toMap());
      }
      const struct = requireStruct(schema, value, PURPOSE);
      const out = buildStruct(schema, (f) => {
        const original = fieldValue(struct, f, withDefault);
        return masked.has(f.field) ? mask(f, original) : original;
      });
      return side.with(record, schema, out);
    },
  };
}
