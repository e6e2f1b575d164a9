/** Base64 as Jackson reads and writes `bytes` values: the standard alphabet, padded, no line breaks. */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('base64');
}

/** The decoded bytes, or undefined when the text is not padded standard base64 (Buffer alone would guess). */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const buffer = Buffer.from(text, 'base64');
  // A plain Uint8Array view, so values compare equal to the Uint8Arrays users build.
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
