import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from './diagnostics.js';
import { loadProject } from './load.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-runtimes-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const SETTINGS = `project: cdc
kafka: { brokers: [a:9092] }
runtimes:
  cluster:
    type: connect
    urls: [http://127.0.0.1:8083/, http://127.0.0.1:8084]
    auth: { basic: { username: admin, password: "\${env:CONNECT_PASSWORD}" } }
    tls: { ca: certs/ca.pem }
    providers: { env: env, dir: dir }
runtime: cluster
environments:
  laptop:
    runtime: embedded
  prod:
    runtimes:
      cluster: { urls: [https://connect.prod:8083], secrets: resolve }
`;

const PIPELINE = `topics:
  pg.public.orders: {}
sources:
  orders-cdc:
    connector: connect:io.debezium.connector.postgresql.PostgresConnector
    config: { database.port: 5432 }
sinks:
  orders-file:
    connector: file
    runtime: embedded
    topics: [pg.public.orders]
    config: { file: out.txt }
`;

describe('runtimes', () => {
  it('resolves runtimes, the project default and per-connector overrides', async () => {
    const dir = project({ 'pipeline.config.yaml': SETTINGS, 'pipelines/cdc.yaml': PIPELINE });
    const { desired, diagnostics } = await loadProject(dir, { env: { CONNECT_PASSWORD: 's3cret' } });
    expect(formatDiagnostics(diagnostics)).toBe('');
    expect(desired!.project.runtimes).toEqual({
      cluster: {
        name: 'cluster',
        type: 'connect',
        urls: ['http://127.0.0.1:8083', 'http://127.0.0.1:8084'],
        auth: { basic: { username: 'admin', password: 's3cret' } },
        tls: { ca: join(dir, 'certs/ca.pem'), rejectUnauthorized: true },
        providers: { env: 'env', dir: 'dir' },
        secrets: 'references',
        requestTimeoutMs: 10000,
        deadlineMs: 30000,
      },
    });
    expect(desired!.project.sensitive).toContain('runtimes.cluster.auth.basic.password');
    const byName = new Map(desired!.connectors.map((c) => [c.name, c]));
    expect(byName.get('orders-cdc')!.runtime).toBe('cluster');
    expect(byName.get('orders-file')!.runtime).toBeUndefined();
  });

  it('lets an environment override runtime and runtimes.*', async () => {
    const files = { 'pipeline.config.yaml': SETTINGS, 'pipelines/cdc.yaml': PIPELINE };
    const env = { CONNECT_PASSWORD: 'x' };
    const laptop = await loadProject(project(files), { environment: 'laptop', env });
    expect(laptop.desired!.connectors.map((c) => c.runtime)).toEqual([undefined, undefined]);
    const prod = await loadProject(project(files), { environment: 'prod', env });
    expect(prod.desired!.project.runtimes!['cluster']!.urls).toEqual(['https://connect.prod:8083']);
    expect(prod.desired!.project.runtimes!['cluster']!.secrets).toBe('resolve');
  });

  it('reports a runtime name that does not exist at its file, line and column', async () => {
    const dir = project({
      'pipeline.config.yaml': SETTINGS.replace('runtime: cluster', 'runtime: clustr'),
      'pipelines/cdc.yaml': PIPELINE.replace('runtime: embedded', 'runtime: clster'),
    });
    const { desired, diagnostics } = await loadProject(dir, { env: { CONNECT_PASSWORD: 'x' } });
    expect(desired).toBeUndefined();
    expect(formatDiagnostics(diagnostics)).toContain(
      'pipeline.config.yaml:10:10: runtime: no runtime "clustr": runtimes declares embedded, cluster',
    );
  });

  it('reports a connector naming a missing runtime, and built-in-only connectors on Kafka Connect', async () => {
    const dir = project({
      'pipeline.config.yaml': SETTINGS,
      'pipelines/cdc.yaml': `${PIPELINE.replace('runtime: embedded', 'runtime: clster')}  gen:
    connector: console
    topics: [pg.public.orders]
`,
    });
    const { diagnostics } = await loadProject(dir, { env: { CONNECT_PASSWORD: 'x' } });
    const text = formatDiagnostics(diagnostics);
    expect(text).toContain(
      'pipelines/cdc.yaml:10:14: sinks.orders-file.runtime: no runtime "clster": pipeline.config.yaml declares embedded, cluster',
    );
    expect(text).toContain(
      'pipelines/cdc.yaml:14:16: sinks.gen.connector: console is built into pipe and runs only on the embedded runtime',
    );
  });

  it('refuses a runtime declared under the built-in name', async () => {
    const dir = project({
      'pipeline.config.yaml': SETTINGS.replace('  cluster:\n    type', '  embedded:\n    type').replace(
        'runtime: cluster',
        'runtime: embedded',
      ),
    });
    const { diagnostics } = await loadProject(dir, { env: { CONNECT_PASSWORD: 'x' } });
    expect(formatDiagnostics(diagnostics)).toContain(
      'pipeline.config.yaml:4:3: runtimes.embedded: "embedded" is the built-in runtime',
    );
  });
});
