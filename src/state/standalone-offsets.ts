/**
 * Kafka Connect standalone's offset file (`offset.storage.file.filename`):
 * FileOffsetBackingStore writes its offsets with java.io.ObjectOutputStream
 * as one `java.util.HashMap<byte[], byte[]>`, each key the JSON converter's
 * bytes of `["<connector>",{partition}]` and each value those of the offset
 * (null for an offset Connect removed).
 *
 * This reads that one shape of the Java serialization stream protocol (Java
 * Object Serialization Specification, chapter 6) and nothing else: a stream
 * holding any other class is refused, never interpreted, so a crafted file
 * cannot make pipe do more than report it.
 */
import { PipeError } from '../errors.js';

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;

const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_ARRAY = 0x75;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_BLOCKDATALONG = 0x7a;
/** The first handle a stream assigns; each class descriptor and object takes the next one. */
const BASE_WIRE_HANDLE = 0x7e0000;

const HASH_MAP = 'java.util.HashMap';
const BYTE_ARRAY = '[B';

export interface StandaloneOffsetEntry {
  key: Buffer;
  /** Null: Connect removed this partition's offset. */
  value: Buffer | null;
}

/** Whether these bytes start a Java serialization stream (as Connect standalone's offset file does). */
export function isJavaSerialized(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0xac && bytes[1] === 0xed && bytes[2] === 0x00 && bytes[3] === 0x05
  );
}

class Malformed extends Error {}

/** A cursor over the stream, with the handles of the class descriptors and arrays it has met. */
class Stream {
  private at = 0;
  private readonly handles: unknown[] = [];

  constructor(private readonly bytes: Buffer) {}

  get position(): number {
    return this.at;
  }

  private need(n: number): void {
    if (this.at + n > this.bytes.length) throw new Malformed(`the file ends at byte ${this.bytes.length}`);
  }

  u8(): number {
    this.need(1);
    return this.bytes.readUInt8(this.at++);
  }

  u16(): number {
    this.need(2);
    const v = this.bytes.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.bytes.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  take(n: number): Buffer {
    this.need(n);
    const slice = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return Buffer.from(slice);
  }

  /** Java's modified UTF-8 of a class or field name: plain ASCII for every name this format holds. */
  utf(): string {
    return this.take(this.u16()).toString('utf8');
  }

  expect(tag: number, what: string): void {
    const at = this.at;
    const got = this.u8();
    if (got !== tag) throw new Malformed(`byte ${at}: expected ${what}, found 0x${got.toString(16)}`);
  }

  newHandle(value: unknown): void {
    this.handles.push(value);
  }

  handle(): unknown {
    const at = this.at;
    const index = this.i32() - BASE_WIRE_HANDLE;
    if (index < 0 || index >= this.handles.length) throw new Malformed(`byte ${at}: a reference to nothing`);
    return this.handles[index];
  }
}

interface ClassDesc {
  name: string;
}

/** A class descriptor (new or referenced) that must name `expected`, with no superclass. */
function classDesc(s: Stream, expected: string): ClassDesc {
  const at = s.position;
  const tag = s.u8();
  if (tag === TC_REFERENCE) {
    const desc = s.handle() as ClassDesc | undefined;
    if (desc?.name !== expected) throw new Malformed(`byte ${at}: expected class ${expected}`);
    return desc;
  }
  if (tag !== TC_CLASSDESC) throw new Malformed(`byte ${at}: expected the class ${expected}`);
  const name = s.utf();
  if (name !== expected) throw new Malformed(`byte ${at}: holds a ${name}, not a ${expected}`);
  s.take(8); // serialVersionUID: the class is known by name, its version is not ours to check
  const desc: ClassDesc = { name };
  s.newHandle(desc);
  s.u8(); // flags
  const fields = s.u16();
  for (let i = 0; i < fields; i++) {
    const type = String.fromCharCode(s.u8());
    s.utf();
    // Object fields carry their type's name; HashMap and byte[] have only primitive fields.
    if (type === 'L' || type === '[') throw new Malformed(`byte ${at}: ${name} with an object field`);
  }
  s.expect(TC_ENDBLOCKDATA, 'the end of the class annotations');
  s.expect(TC_NULL, 'no superclass');
  return desc;
}

/** A `byte[]` (new or referenced) or null. */
function byteArray(s: Stream): Buffer | null {
  const at = s.position;
  const tag = s.u8();
  if (tag === TC_NULL) return null;
  if (tag === TC_REFERENCE) {
    const value = s.handle();
    if (!Buffer.isBuffer(value)) throw new Malformed(`byte ${at}: a reference to something not a byte[]`);
    return value;
  }
  if (tag !== TC_ARRAY) throw new Malformed(`byte ${at}: expected a byte[], found 0x${tag.toString(16)}`);
  classDesc(s, BYTE_ARRAY);
  const length = s.i32();
  if (length < 0) throw new Malformed(`byte ${at}: a byte[] of length ${length}`);
  const value = s.take(length);
  s.newHandle(value);
  return value;
}

/**
 * The primitive data HashMap.writeObject writes before its entries (the
 * bucket count and the size), from the block-data records that carry it.
 */
function blockData(s: Stream, length: number): Buffer {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < length) {
    const at = s.position;
    const tag = s.u8();
    const size = tag === TC_BLOCKDATA ? s.u8() : tag === TC_BLOCKDATALONG ? s.i32() : -1;
    if (size < 0) throw new Malformed(`byte ${at}: expected the map's size`);
    parts.push(s.take(size));
    have += size;
  }
  return Buffer.concat(parts);
}

/**
 * The entries of a Connect standalone offset file, in the order the file
 * holds them (HashMap order). `file` names it in errors.
 */
export function parseStandaloneOffsets(file: string, bytes: Buffer): StandaloneOffsetEntry[] {
  const s = new Stream(bytes);
  try {
    if (s.u16() !== STREAM_MAGIC || s.u16() !== STREAM_VERSION)
      throw new Malformed('it is not a Java serialization stream');
    s.expect(TC_OBJECT, 'an object');
    classDesc(s, HASH_MAP);
    s.newHandle(HASH_MAP);
    s.take(8); // the fields loadFactor (float) and threshold (int)
    const data = blockData(s, 8);
    const size = data.readInt32BE(4);
    if (size < 0) throw new Malformed(`a map of ${size} entries`);
    const entries: StandaloneOffsetEntry[] = [];
    for (let i = 0; i < size; i++) {
      const key = byteArray(s);
      if (key === null) throw new Malformed(`entry ${i + 1} has a null key`);
      entries.push({ key, value: byteArray(s) });
    }
    s.expect(TC_ENDBLOCKDATA, 'the end of the map');
    return entries;
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    throw new PipeError(
      'STATE_CORRUPT',
      `${file} is not a Kafka Connect standalone offset file (a serialized HashMap<byte[], byte[]>): ${err.message}`,
      { meta: { file } },
    );
  }
}
