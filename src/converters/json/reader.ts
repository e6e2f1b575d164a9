/**
 * A JSON reader that keeps what JSON.parse loses and Connect needs: the exact
 * text of numbers (int64 beyond 2^53, `1` versus `1.0`) and object key order
 * with any key (no prototype keys). Accepts what Jackson accepts as Connect
 * configures it (leading zeros in numbers included), but no trailing content.
 */
import { PipeError } from '../../errors.js';

/** A number as written: its text, and whether it is integral (no fraction, no exponent). */
export class JsonNumber {
  constructor(
    readonly text: string,
    readonly integral: boolean,
  ) {}
}

export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject;
export type JsonObject = Map<string, JsonNode>;

export function isJsonObject(node: JsonNode | undefined): node is JsonObject {
  return node instanceof Map;
}

/** The JSON type name of a node, for messages. */
export function nodeKind(node: JsonNode | undefined): string {
  if (node === undefined) return 'nothing';
  if (node === null) return 'null';
  if (typeof node === 'boolean') return 'a boolean';
  if (typeof node === 'string') return 'a string';
  if (node instanceof JsonNumber) return node.integral ? 'an integer' : 'a decimal number';
  if (Array.isArray(node)) return 'an array';
  return 'an object';
}

class Reader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly topic: string,
  ) {}

  document(): JsonNode | undefined {
    this.skipSpace();
    if (this.pos === this.text.length) return undefined;
    const node = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected content after the JSON value');
    return node;
  }

  /** The value at `start` (white space around it skipped) and where the reader stopped. */
  valueAt(start: number): [JsonNode, number] {
    this.pos = start;
    this.skipSpace();
    const node = this.value();
    this.skipSpace();
    return [node, this.pos];
  }

  private fail(what: string): never {
    const offset = this.pos;
    throw new PipeError('CONVERTER_DATA', `Invalid JSON at offset ${offset}: ${what}`, {
      meta: { topic: this.topic, offset },
    });
  }

  private skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private value(): JsonNode {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x22:
        return this.string();
      case 0x7b:
        return this.object();
      case 0x5b:
        return this.array();
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x6e:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail(
          Number.isNaN(c) ? 'unexpected end of input' : `unexpected character '${this.text[this.pos]}'`,
        );
    }
  }

  private literal<T extends JsonNode>(word: string, node: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected '${word}'`);
    this.pos += word.length;
    return node;
  }

  private object(): JsonObject {
    const object: JsonObject = new Map();
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return object;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a field name in double quotes');
      const key = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':' after a field name");
      this.pos++;
      this.skipSpace();
      object.set(key, this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return object;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected ',' or '}' in an object");
      }
      this.skipSpace();
    }
  }

  private array(): JsonNode[] {
    const array: JsonNode[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return array;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected ',' or ']' in an array");
      }
      this.skipSpace();
    }
  }

  private number(): JsonNumber {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let integral = true;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    const digitsStart = pos;
    while (isDigit(text.charCodeAt(pos))) pos++;
    if (pos === digitsStart) {
      this.pos = pos;
      this.fail('expected a digit');
    }
    if (text.charCodeAt(pos) === 0x2e) {
      integral = false;
      const fractionStart = ++pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (pos === fractionStart) {
        this.pos = pos;
        this.fail('expected a digit after the decimal point');
      }
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      integral = false;
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      const exponentStart = pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (pos === exponentStart) {
        this.pos = pos;
        this.fail('expected a digit in the exponent');
      }
    }
    this.pos = pos;
    return new JsonNumber(text.slice(start, pos), integral);
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    let pos = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = pos;
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in a string');
      }
      pos++;
    }
    this.pos = pos;
    return text.slice(start, pos) + this.escapedRest();
  }

  /** The rest of a string from its first backslash, the slow path. */
  private escapedRest(): string {
    const text = this.text;
    let out = '';
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return out;
      }
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c < 0x20) this.fail('control character in a string');
      if (c !== 0x5c) {
        out += text[this.pos++];
        continue;
      }
      const escaped = text[this.pos + 1];
      this.pos += 2;
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          out += escaped;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 2;
          this.fail(`bad escape '\\${escaped ?? ''}'`);
      }
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, failing on invalid bytes as Jackson does. */
export function decodeUtf8(bytes: Uint8Array, topic: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new PipeError('CONVERTER_DATA', 'Invalid JSON: the bytes are not valid UTF-8', {
      meta: { topic },
      cause,
    });
  }
}

/** Parses one JSON document; undefined when there is nothing but white space (Jackson's missing node). */
export function parseJson(text: string, topic = ''): JsonNode | undefined {
  return new Reader(text, topic).document();
}

/**
 * Parses the JSON value starting at `start` inside a larger text; returns it
 * and the offset after it.
 */
export function parseJsonValueAt(text: string, start: number, topic = ''): [JsonNode, number] {
  return new Reader(text, topic).valueAt(start);
}
