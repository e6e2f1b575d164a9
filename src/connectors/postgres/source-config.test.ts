import { describe, expect, it } from 'vitest';
import type { PostgresSourceConfig } from '../../config/types.gen.js';
import { sourceSettings, sourceTaskConfigs } from './source-config.js';

const base: PostgresSourceConfig = { connection: 'postgres://u@h/d', mode: 'bulk' };

describe('postgres source settings', () => {
  it('shares the tables among at most as many tasks as there are tables; a query is one task', () => {
    const tables: [string, ...string[]] = ['a', 'b', 'c', 'd', 'e'];
    expect(sourceTaskConfigs({ ...base, tables }, 2, 't').map((c) => c.tables)).toEqual([
      ['a', 'c', 'e'],
      ['b', 'd'],
    ]);
    expect(sourceTaskConfigs({ ...base, tables: ['a'] }, 4, 't')).toHaveLength(1);
    expect(sourceTaskConfigs({ ...base, query: 'SELECT 1' }, 4, 't')).toEqual([
      { ...base, query: 'SELECT 1', topic: 't' },
    ]);
  });

  it("sends rows to the source's topic, or to topic.prefix plus the table as the JDBC source does", () => {
    const plain = sourceSettings({ ...base, tables: ['s.orders'], topic: 'orders' }, 'c');
    expect(plain.topicOf('orders')).toBe('orders');
    const prefixed = sourceSettings(
      { ...base, tables: ['s.orders'], 'topic.prefix': 'db-', topic: 'x' },
      'c',
    );
    expect(prefixed.topicOf('orders')).toBe('db-orders');
    expect(prefixed.topicOf(undefined)).toBe('db-');
  });

  it('refuses a mode without its column, and both or neither of tables and query', () => {
    expect(() => sourceSettings({ ...base, mode: 'incrementing', tables: ['t'], topic: 't' }, 'c')).toThrow(
      'connector c: incrementing.column is needed by mode incrementing',
    );
    expect(() =>
      sourceSettings(
        { ...base, mode: 'timestamp+incrementing', 'incrementing.column': 'id', tables: ['t'], topic: 't' },
        'c',
      ),
    ).toThrow('timestamp.column is needed by mode timestamp+incrementing');
    expect(() => sourceSettings({ ...base, topic: 't' }, 'c')).toThrow('exactly one of them');
    expect(() => sourceSettings({ ...base, tables: ['t'], query: 'SELECT 1', topic: 't' }, 'c')).toThrow(
      'exactly one of them',
    );
  });
});
