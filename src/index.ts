/** pipe's public API: what users import from their own code and tests. */

export {
  ByteArrayConverter,
  type ConnectField,
  type ConnectSchema,
  type Converter,
  createConverter,
  DATE_NAME,
  DECIMAL_NAME,
  Decimal,
  type DecimalValue,
  JsonConverter,
  type JsonConverterOptions,
  type SchemaAndValue,
  type SchemaOptions,
  Schemas,
  type SchemaType,
  StringConverter,
  TIME_NAME,
  TIMESTAMP_NAME,
  validateValue,
} from './converters/index.js';
export { type ErrorCode, PipeError } from './errors.js';
