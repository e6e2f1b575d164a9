/**
 * How a record value becomes one line of text in the file and console sinks.
 * Strings pass as they are, like Connect's FileStreamSink; structured values
 * are written as JSON (Connect prints Java's toString, which nothing can
 * parse back), with 64-bit integers as exact decimal numbers.
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return jsonText(value);
}

/** JSON.stringify cannot write a bigint as a number: it is marked, then unquoted. */
const BIGINT_MARK = /"\\u0000(-?\d+)\\u0000"/g;

export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `\u0000${v}\u0000`;
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  }).replace(BIGINT_MARK, '$1');
}
