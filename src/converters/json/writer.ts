/**
 * JSON text exactly as Jackson writes it for Connect: no white space, UTF-8
 * as is, and in strings only `"`, `\`, control characters (`\b \t \n \f \r`
 * short, the rest as `\u00XX`) and UTF-16 surrogates (so characters beyond
 * U+FFFF, as `\uD83D\uDE00`) escaped, hex in upper case.
 */

// Characters JSON.stringify writes differently from Jackson: other control characters and all surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_JACKSON_ESCAPES = /[\u0000-\u0007\u000b\u000e-\u001f\ud800-\udfff]/;

/** A JSON string literal, as Jackson writes it. */
export function jsonString(value: string): string {
  // JSON.stringify is native and agrees with Jackson except for the rare characters checked here.
  if (!NEEDS_JACKSON_ESCAPES.test(value)) return JSON.stringify(value);
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) out += SHORT_ESCAPES[c] ?? `\\u${hex4(c)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${hex4(c)}`;
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else out += value[i];
  }
  return `${out}"`;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
};

/** UTF-8 bytes of JSON text; a Buffer, which Node encodes about three times faster than TextEncoder for record-sized text. */
export function encodeUtf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
