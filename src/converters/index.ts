/** The converters: pick one by name, as the worker and the YAML (`converter: json|string|bytearray`) do. */
import type { ConverterSpec } from '../config/model.js';
import { PipeError } from '../errors.js';
import { ByteArrayConverter } from './bytearray-converter.js';
import type { Converter } from './converter.js';
import { JsonConverter } from './json-converter.js';
import { StringConverter } from './string-converter.js';

export { ByteArrayConverter } from './bytearray-converter.js';
export type { Converter } from './converter.js';
export { type SchemaOptions, Schemas } from './data/builders.js';
export { Decimal } from './data/decimal.js';
export * from './data/schema.js';
export { validateValue } from './data/validate.js';
export { JsonConverter, type JsonConverterOptions } from './json-converter.js';
export { StringConverter } from './string-converter.js';

/**
 * The converter a spec names. `isKey` is part of Connect's contract
 * (`configure(configs, isKey)`); none of the three converters writes keys
 * differently from values.
 */
export function createConverter(spec: ConverterSpec, _options: { isKey: boolean }): Converter {
  switch (spec.type) {
    case 'json':
      return new JsonConverter({ schemasEnable: spec.schemas, decimalFormat: spec.decimalFormat });
    case 'string':
      return new StringConverter();
    case 'bytearray':
      return new ByteArrayConverter();
    default:
      throw new PipeError(
        'CONFIG_INVALID',
        `Unknown converter "${String(spec.type)}": use json, string or bytearray`,
      );
  }
}
