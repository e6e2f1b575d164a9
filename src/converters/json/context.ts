import { PipeError } from '../../errors.js';

/** Settings and position shared by the JSON value and schema conversions. */
export interface JsonContext {
  topic: string;
  decimalFormat: 'BASE64' | 'NUMERIC';
  /** Connect's `replace.null.with.default` (on unless turned off). */
  replaceNullWithDefault: boolean;
}

/** A field path for messages: `(root)`, `order.lines[2].price`. */
function showPath(path: string): string {
  return path === '' ? '(root)' : path;
}

export function child(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

export function dataError(context: JsonContext, path: string, message: string, cause?: unknown): PipeError {
  return new PipeError('CONVERTER_DATA', `${message} at ${showPath(path)}`, {
    meta: { topic: context.topic, path: showPath(path) },
    cause,
  });
}

export function schemaError(context: JsonContext, path: string, message: string): PipeError {
  return new PipeError('CONVERTER_SCHEMA', `${message} at ${showPath(path)}`, {
    meta: { topic: context.topic, path: showPath(path) },
  });
}
