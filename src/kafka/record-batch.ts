/**
 * A v2 record batch (Kafka's RecordBatch, magic 2, uncompressed) written into
 * one buffer sized beforehand. The data path's client (@platformatic/kafka
 * 1.x) writes each field of each record into a buffer of its own and joins
 * them: about 3 KB of garbage for a 100-byte record, 70% of what `pipe run`'s
 * file source allocated, and its scavenges every 20 ms took 2–3 ms each
 * (docs/BENCHMARKS.md). The bytes are the client's, field for field
 * (record-batch.test.ts compares them), so the broker sees the same batches.
 */
import { crc32c } from '@platformatic/kafka';

/** A record as the client hands it to its encoder: serialized, its partition and timestamp set. */
export interface BatchRecord {
  key?: Buffer | null | undefined;
  value?: Buffer | null | undefined;
  headers?: Map<Buffer, Buffer> | undefined;
  timestamp?: bigint | number | undefined;
}

export interface BatchOptions {
  producerId?: bigint | undefined;
  producerEpoch?: number | undefined;
  /** The sequence number of the batch's first record, for an idempotent producer. */
  firstSequence: number;
  transactional: boolean;
  partitionLeaderEpoch?: number | undefined;
}

const MAGIC = 2;
const TRANSACTIONAL = 1 << 4;
/** firstOffset and length, which the length does not count. */
const LOG_OVERHEAD = 12;
/** partitionLeaderEpoch, magic, crc, attributes, lastOffsetDelta, two timestamps, producer id and epoch, sequence, count. */
const HEADER_AFTER_LENGTH = 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
/** Where the CRC's range starts: the attributes. */
const CRC_FROM = LOG_OVERHEAD + 4 + 1 + 4;
/** Below this, a zigzag varlong's value is exact in a double and Number arithmetic serves. */
const SAFE = 2 ** 52;

/** Bytes of the unsigned varint of a non-negative integer below 2^53. */
function unsignedSize(z: number): number {
  let n = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

const zigzag = (v: number): number => (v >= 0 ? 2 * v : -2 * v - 1);

function writeUnsigned(buf: Buffer, at: number, z: number): number {
  while (z >= 128) {
    buf[at++] = (z % 128) | 128;
    z = Math.floor(z / 128);
  }
  buf[at++] = z;
  return at;
}

const zigzag64 = (v: bigint): bigint => (v >= 0n ? v << 1n : (-v << 1n) - 1n);

function unsignedSize64(z: bigint): number {
  let n = 1;
  while (z >= 128n) {
    z >>= 7n;
    n++;
  }
  return n;
}

function writeUnsigned64(buf: Buffer, at: number, z: bigint): number {
  while (z >= 128n) {
    buf[at++] = Number(z & 127n) | 128;
    z >>= 7n;
  }
  buf[at++] = Number(z);
  return at;
}

const bytesSize = (b: Buffer | null | undefined): number =>
  b == null ? 1 : unsignedSize(zigzag(b.length)) + b.length;

function writeBytes(buf: Buffer, at: number, b: Buffer | null | undefined): number {
  if (b == null) {
    buf[at] = 1; // zigzag(-1)
    return at + 1;
  }
  at = writeUnsigned(buf, at, zigzag(b.length));
  return at + b.copy(buf, at);
}

function headersSize(headers: Map<Buffer, Buffer> | undefined): number {
  if (!headers) return 1;
  let size = unsignedSize(zigzag(headers.size));
  for (const [k, v] of headers) size += bytesSize(k) + bytesSize(v);
  return size;
}

const asBigInt = (t: bigint | number): bigint => (typeof t === 'bigint' ? t : BigInt(t));

/**
 * Each record's timestamp as the client sets it (its own, or `now`), the
 * first one, the largest, and each record's delta from the first: a number
 * when it is exact as one (always, for records stamped in one request), else
 * a bigint.
 */
function timestampsOf(records: BatchRecord[], now: bigint) {
  const first = asBigInt(records[0]?.timestamp ?? now);
  let max = first;
  const deltas: Array<number | bigint> = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const t = records[i]?.timestamp ?? now;
    if (t === first) {
      deltas[i] = 0;
      continue;
    }
    const ts = asBigInt(t);
    if (ts > max) max = ts;
    const delta = ts - first;
    deltas[i] = delta > -SAFE && delta < SAFE ? Number(delta) : delta;
  }
  return { first, max, deltas };
}

const deltaSize = (d: number | bigint) =>
  typeof d === 'number' ? unsignedSize(zigzag(d)) : unsignedSize64(zigzag64(d));

/** The batch's bytes, from its first offset (0: the broker assigns offsets) to its last record. */
export function encodeRecordBatch(
  records: BatchRecord[],
  options: BatchOptions,
  now = BigInt(Date.now()),
): Buffer {
  const { first, max, deltas } = timestampsOf(records, now);
  const bodies = new Array<number>(records.length);
  let size = LOG_OVERHEAD + HEADER_AFTER_LENGTH;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as BatchRecord;
    const delta = deltas[i] as number | bigint;
    const body =
      1 +
      deltaSize(delta) +
      unsignedSize(zigzag(i)) +
      bytesSize(r.key) +
      bytesSize(r.value) +
      headersSize(r.headers);
    bodies[i] = body;
    size += unsignedSize(zigzag(body)) + body;
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeBigInt64BE(0n, 0);
  buf.writeInt32BE(size - LOG_OVERHEAD, 8);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? 0, 12);
  buf.writeInt8(MAGIC, 16);
  buf.writeInt16BE(options.transactional ? TRANSACTIONAL : 0, CRC_FROM);
  buf.writeInt32BE(records.length - 1, CRC_FROM + 2);
  buf.writeBigInt64BE(first, CRC_FROM + 6);
  buf.writeBigInt64BE(max, CRC_FROM + 14);
  buf.writeBigInt64BE(options.producerId ?? -1n, CRC_FROM + 22);
  buf.writeInt16BE(options.producerEpoch ?? 0, CRC_FROM + 30);
  buf.writeInt32BE(options.firstSequence, CRC_FROM + 32);
  buf.writeInt32BE(records.length, CRC_FROM + 36);
  let at = LOG_OVERHEAD + HEADER_AFTER_LENGTH;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as BatchRecord;
    const delta = deltas[i] as number | bigint;
    at = writeUnsigned(buf, at, zigzag(bodies[i] as number));
    buf[at++] = 0; // attributes
    at =
      typeof delta === 'number'
        ? writeUnsigned(buf, at, zigzag(delta))
        : writeUnsigned64(buf, at, zigzag64(delta));
    at = writeUnsigned(buf, at, zigzag(i));
    at = writeBytes(buf, at, r.key);
    at = writeBytes(buf, at, r.value);
    if (!r.headers) buf[at++] = 0;
    else {
      at = writeUnsigned(buf, at, zigzag(r.headers.size));
      for (const [k, v] of r.headers) {
        at = writeBytes(buf, at, k);
        at = writeBytes(buf, at, v);
      }
    }
  }
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_FROM)), CRC_FROM - 4);
  return buf;
}
