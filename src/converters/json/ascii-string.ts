/**
 * A JSON string read from its bytes, for the string payloads sinks mostly
 * get: checked and decoded without making the text of the payload first.
 * Reading a 10 KB payload as text (UTF-8 decoding, then a character scan for
 * the closing quote, escapes and control characters) took 77–115 µs on the
 * bench machine under load; checking its bytes a 32-bit word at a time and
 * copying them as latin1 takes 11–14 µs (docs/BENCHMARKS.md, the file sink's
 * 10 KB records: the payload read from its bytes).
 */

const QUOTE = 0x22;
/** Per-byte masks, four bytes to a word: the top bit, the lowest bit, the first byte JSON takes unescaped in a string. */
const HIGH_BITS = 0x80808080;
const LOW_BITS = 0x01010101;
const SPACES = 0x20202020;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
/** Below this many bytes a word view costs more than it saves. */
const WORD_SCAN_MIN = 64;

/** Bytes a JSON string can hold as they are, decoding to themselves: ASCII but control characters, quote and backslash. */
const PLAIN = (() => {
  const plain = new Uint8Array(256);
  for (let c = 0x20; c < 0x80; c++) plain[c] = 1;
  plain[QUOTE] = 0;
  plain[0x5c] = 0;
  return plain;
})();

/**
 * The text of the JSON string that is exactly `bytes[start, end)`, quotes
 * included, when it is ASCII without escapes or control characters; undefined
 * for anything else (which the text readers take, or refuse, as before).
 */
export function asciiStringAt(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start < 2 || bytes[start] !== QUOTE || bytes[end - 1] !== QUOTE) return undefined;
  if (!allPlain(bytes, start + 1, end - 1)) return undefined;
  // Every byte is ASCII, so latin1 gives the characters UTF-8 would, without its checks.
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('latin1', start + 1, end - 1);
}

function allPlain(bytes: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  if (end - start >= WORD_SCAN_MIN) {
    const aligned = start + ((4 - ((bytes.byteOffset + start) & 3)) & 3);
    for (; pos < aligned; pos++) if (PLAIN[bytes[pos] as number] === 0) return false;
    const count = (end - pos) >> 2;
    if (!wordsPlain(new Uint32Array(bytes.buffer, bytes.byteOffset + pos, count))) return false;
    pos += count * 4;
  }
  for (; pos < end; pos++) if (PLAIN[bytes[pos] as number] === 0) return false;
  return true;
}

/**
 * Whether no byte of the words is ≥ 0x80, < 0x20, a quote or a backslash.
 * `(w - LOW_BITS) & ~w & HIGH_BITS` is non-zero exactly when a byte of w is
 * zero (and with SPACES, when one is below 0x20): the usual bit trick, exact
 * for whether there is one, whatever the borrows do to the bytes above it.
 */
function wordsPlain(words: Uint32Array): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    const quotes = w ^ QUOTES;
    const backslashes = w ^ BACKSLASHES;
    if (
      (w |
        ((w - SPACES) & ~w) |
        ((quotes - LOW_BITS) & ~quotes) |
        ((backslashes - LOW_BITS) & ~backslashes)) &
      HIGH_BITS
    )
      return false;
  }
  return true;
}
