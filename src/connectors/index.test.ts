import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { builtInSink, builtInSource } from './index.js';

const require = createRequire(import.meta.url);
const pgLoaded = () => Object.keys(require.cache).some((path) => /[/\\]node_modules[/\\]pg[/\\]/.test(path));

describe('the built-in connectors', () => {
  it('cost a worker without a PostgreSQL connector no pg: it loads with the first PostgreSQL task', async () => {
    const source = builtInSource('postgres');
    const sink = builtInSink('postgres');
    expect(
      source?.taskConfigs({ connection: 'postgres://u@h/d', mode: 'bulk', tables: ['a', 'b'] }, 2, 't'),
    ).toHaveLength(2);
    expect(sink?.createTask()).toBeDefined();
    expect(pgLoaded()).toBe(false);
    await import('./postgres/sink.js');
    expect(pgLoaded()).toBe(true);
  });
});
