import { describe, expect, it } from 'vitest';
import { offsetOf, positionOf, selectSql } from './source-query.js';

describe('postgres source queries', () => {
  const columns = { incrementing: 'id', timestamp: 'changed', timestampDelayMs: 500 };

  it('reads each mode in its order from the last position, timestamps held back by the delay', () => {
    expect(selectSql('"t"', { ...columns, mode: 'bulk' }, {}).text).toBe('SELECT * FROM "t"');
    expect(selectSql('"t"', { ...columns, mode: 'incrementing' }, { incrementing: 41n })).toEqual({
      text: 'SELECT * FROM "t" WHERE "id" > $1::bigint ORDER BY "id"',
      values: ['41'],
    });
    expect(
      selectSql(
        '"t"',
        { ...columns, mode: 'timestamp+incrementing' },
        { incrementing: 7n, timestampMicros: 1_000_001n },
      ),
    ).toEqual({
      text:
        `SELECT * FROM "t" WHERE "changed" < statement_timestamp() - $1::bigint * interval '1 millisecond'` +
        ' AND ("changed" > $2::timestamptz OR ("changed" = $2::timestamptz AND "id" > $3::bigint)) ORDER BY "changed", "id"',
      values: ['500', '1970-01-01T00:00:01.000001Z', '7'],
    });
    expect(selectSql('(SELECT 1) AS q', { ...columns, mode: 'timestamp' }, {}).text).toBe(
      `SELECT * FROM (SELECT 1) AS q WHERE "changed" < statement_timestamp() - $1::bigint * interval '1 millisecond' ORDER BY "changed"`,
    );
  });

  it("writes offsets in the JDBC source's shape and reads them back to the microsecond", () => {
    const at = { incrementing: 12n, timestampMicros: -1_500_001n };
    const offset = offsetOf('timestamp+incrementing', at);
    expect(offset).toEqual({ incrementing: 12, timestamp: -1501, timestamp_nanos: 499_999_000 });
    expect(positionOf(offset)).toEqual(at);
    expect(offsetOf('incrementing', at)).toEqual({ incrementing: 12 });
    expect(positionOf(null)).toEqual({});
  });
});
