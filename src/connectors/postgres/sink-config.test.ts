import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../config/load.js';
import type { PostgresSinkConfig } from '../../config/types.gen.js';
import { sinkSettings } from './sink-config.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function load(connection: string, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-pg-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'pipeline.config.yaml'), 'project: demo\nkafka:\n  brokers: 127.0.0.1:9092\n');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(
    join(dir, 'pipelines', 'p.yaml'),
    `topics:\n  orders: {}\nsinks:\n  db:\n    connector: postgres\n    topics: [orders]\n    config:\n      connection: ${connection}\n`,
  );
  return loadProject(dir, { env });
}

describe('postgres sink settings', () => {
  it('refuses a password written in the file, naming file, line and field', async () => {
    const { diagnostics } = await load('{ host: db, user: app, password: hunter2 }');
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        source: expect.objectContaining({
          file: 'pipelines/p.yaml',
          line: 8,
          pointer: '/sinks/db/config/connection/password',
        }),
        summary: expect.stringContaining('${env:NAME} or ${file:path}'),
      }),
    ]);
    expect(JSON.stringify(diagnostics)).not.toContain('hunter2');
  });

  it('refuses a password inside the URL', async () => {
    const { diagnostics } = await load('postgres://app:hunter2@db/test');
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      source: { pointer: '/sinks/db/config/connection', line: 8 },
    });
  });

  it('takes a password from the environment, sealed in the spec and marked sensitive', async () => {
    const { desired, diagnostics } = await load(
      '{ url: "postgres://app@db:6543/shop", password: "${env:PGPASS}" }',
      {
        PGPASS: 'hunter2',
      },
    );
    expect(diagnostics).toEqual([]);
    const spec = desired!.connectors.find((c) => c.name === 'db')!;
    expect(spec.sealed).toEqual({ '/config/connection/password': '${env:PGPASS}' });
    expect(spec.sensitive).toContain('config.connection.password');
    const settings = sinkSettings(spec.config as unknown as PostgresSinkConfig, 'db');
    expect(settings.connection).toEqual({
      host: 'db',
      port: 6543,
      database: 'shop',
      user: 'app',
      password: 'hunter2',
      ssl: false,
    });
    expect(settings).toMatchObject({
      table: '${topic}',
      insertMode: 'insert',
      pkMode: 'none',
      batchSize: 3000,
    });
  });

  it('refuses the combinations the JDBC sink refuses', () => {
    const base: PostgresSinkConfig = { connection: 'postgres://u@h/d' };
    expect(() => sinkSettings({ ...base, 'insert.mode': 'upsert' }, 'db')).toThrow(
      'connector db: insert.mode upsert needs a primary key: set pk.mode',
    );
    expect(() => sinkSettings({ ...base, 'delete.enabled': true, 'pk.mode': 'kafka' }, 'db')).toThrow(
      'delete.enabled needs pk.mode: record_key',
    );
    expect(() => sinkSettings({ ...base, 'pk.mode': 'kafka', 'pk.fields': ['a'] }, 'db')).toThrow(
      'three columns',
    );
  });
});
