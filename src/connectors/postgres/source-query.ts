/**
 * What the source reads next from one table or query: the SELECT of its
 * mode, bounded below by the stored offset, and the offsets in the JDBC
 * source's shape (`{incrementing}`, `{timestamp, timestamp_nanos}`), so
 * offsets move between pipe and Kafka Connect.
 */
import pg from 'pg';
import type { SourceOffset } from '../api.js';
import type { SourceMode } from './source-config.js';
import { floorDiv } from './type-mapping.js';

/** The last row read: its incrementing value and its timestamp in microseconds since the epoch. */
export interface Position {
  incrementing?: bigint;
  timestampMicros?: bigint;
}

export interface ModeColumns {
  mode: SourceMode;
  incrementing?: string;
  timestamp?: string;
  timestampDelayMs: number;
}

/** `from` is a quoted table name or `(query) AS q`. */
export function selectSql(from: string, m: ModeColumns, at: Position): { text: string; values: string[] } {
  const values: string[] = [];
  const param = (value: string, type: string) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const inc = m.incrementing === undefined ? '' : pg.escapeIdentifier(m.incrementing);
  const ts = m.timestamp === undefined ? '' : pg.escapeIdentifier(m.timestamp);
  const where: string[] = [];
  let order = '';
  if (m.mode === 'incrementing') {
    if (at.incrementing !== undefined) where.push(`${inc} > ${param(String(at.incrementing), 'bigint')}`);
    order = inc;
  } else if (m.mode !== 'bulk') {
    // Rows newer than the delay wait for a later poll: a transaction may still commit an older timestamp.
    where.push(
      `${ts} < statement_timestamp() - ${param(String(m.timestampDelayMs), 'bigint')} * interval '1 millisecond'`,
    );
    if (at.timestampMicros !== undefined) {
      const last = param(microsText(at.timestampMicros), 'timestamptz');
      if (m.mode === 'timestamp') where.push(`${ts} > ${last}`);
      else if (at.incrementing === undefined) where.push(`${ts} >= ${last}`);
      else
        where.push(
          `(${ts} > ${last} OR (${ts} = ${last} AND ${inc} > ${param(String(at.incrementing), 'bigint')}))`,
        );
    }
    order = m.mode === 'timestamp' ? ts : `${ts}, ${inc}`;
  }
  const text = `SELECT * FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order ? ` ORDER BY ${order}` : ''}`;
  return { text, values };
}

/** The JDBC source's offset of a position. */
export function offsetOf(mode: SourceMode, at: Position): SourceOffset {
  const offset: SourceOffset = {};
  if (mode.includes('incrementing') && at.incrementing !== undefined)
    offset['incrementing'] = Number(at.incrementing);
  if (mode.startsWith('timestamp') && at.timestampMicros !== undefined) {
    const seconds = floorDiv(at.timestampMicros, 1_000_000n);
    offset['timestamp'] = Number(floorDiv(at.timestampMicros, 1000n));
    offset['timestamp_nanos'] = Number((at.timestampMicros - seconds * 1_000_000n) * 1000n);
  }
  return offset;
}

/** The position a stored offset (pipe's or Kafka Connect's) names; empty when there is none. */
export function positionOf(offset: SourceOffset | null): Position {
  const at: Position = {};
  if (!offset) return at;
  const inc = offset['incrementing'];
  if (typeof inc === 'number' || typeof inc === 'string') at.incrementing = BigInt(inc);
  const ms = offset['timestamp'];
  if (typeof ms === 'number') {
    const nanos =
      typeof offset['timestamp_nanos'] === 'number' ? offset['timestamp_nanos'] : (ms % 1000) * 1e6;
    at.timestampMicros = floorDiv(BigInt(ms), 1000n) * 1_000_000n + BigInt(Math.floor(nanos / 1000));
  }
  return at;
}

/** `1970-01-01T00:00:00.000001Z`: microseconds as timestamptz input text. */
function microsText(micros: bigint): string {
  const ms = floorDiv(micros, 1000n);
  const extra = micros - ms * 1000n;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, 23)}${extra.toString().padStart(3, '0')}Z`;
}
