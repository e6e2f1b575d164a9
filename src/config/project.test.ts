import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from './load.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-project-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const SETTINGS = `project: shop
kafka:
  brokers: [a:9092]
  sasl: { mechanism: scram-sha-512, username: app, password: plain-text }
defaults:
  value: { converter: json, schemas: false }
  topic: { partitions: 6, replicationFactor: 3 }
vars:
  region: eu
  partitions: 12
environments:
  prod:
    kafka:
      brokers: "\${env:PROD_BROKERS}"
      clientId: shop-prod
    state: { replicationFactor: 3 }
    vars: { region: us }
  staging:
    kafka: { connectionTimeoutMs: "\${env:UNSET_ONLY_IN_STAGING}" }
`;

const PIPELINE = `topics:
  orders-\${var:region}: {}
  big: { partitions: "\${var:partitions}" }
sources:
  gen:
    connector: datagen
    topic: orders-\${var:region}
    config: { rate: 10 }
sinks:
  out:
    connector: file
    topics: ["orders-\${var:region}"]
    config: { file: out/orders.txt }
    value: { converter: string }
  pg:
    connector: connect:io.example.PgSink
    topics: [big]
    config: { db.password: x, token.url: "\${env:TOKEN_URL:-http://t}" }
`;

describe('project settings', () => {
  const dir = project({ 'pipeline.config.yaml': SETTINGS, 'pipelines/shop.yaml': PIPELINE });

  it('applies the project defaults, then Connect defaults, field by field', async () => {
    const { desired, diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics).toEqual([]);
    expect(desired?.topics.map((t) => [t.name, t.partitions, t.replicationFactor])).toEqual([
      ['orders-eu', 6, 3],
      ['big', 12, 3],
    ]);
    const [gen, out] = desired!.connectors;
    expect(gen?.value).toEqual({ type: 'json', schemas: false, decimalFormat: 'BASE64' });
    expect(gen?.key).toEqual({ type: 'json', schemas: true, decimalFormat: 'BASE64' });
    expect(gen?.config).toEqual({ count: 0, rate: 10, payloadBytes: 100, keys: 0 });
    expect(out?.value).toEqual({ type: 'string', schemas: false, decimalFormat: 'BASE64' });
    expect(out?.config['file']).toBe(join(dir, 'out/orders.txt'));
  });

  it('marks schema-sensitive settings and referenced values as secrets', async () => {
    const { desired } = await loadProject(dir, { env: {} });
    expect(desired?.project.sensitive).toEqual(['kafka.sasl.password']);
    expect(desired?.connectors.find((c) => c.name === 'pg')?.sensitive).toEqual([
      'config.db.password',
      'config.token.url',
    ]);
  });

  it('keeps the reference of each secret given by ${env:…}, for state records that must not hold it', async () => {
    const { desired } = await loadProject(dir, { env: { TOKEN_URL: 'https://user:pw@t' } });
    const pg = desired?.connectors.find((c) => c.name === 'pg');
    expect(pg?.config['token.url']).toBe('https://user:pw@t');
    expect(pg?.sealed).toEqual({ '/config/token.url': '${env:TOKEN_URL:-http://t}' });
  });

  it('merges the chosen environment over the base and uses its variables', async () => {
    const { desired, diagnostics } = await loadProject(dir, {
      environment: 'prod',
      env: { PROD_BROKERS: 'p1:9092,p2:9092' },
    });
    expect(diagnostics).toEqual([]);
    expect(desired?.project).toMatchObject({
      environment: 'prod',
      kafka: { brokers: ['p1:9092', 'p2:9092'], clientId: 'shop-prod', sasl: { username: 'app' } },
      state: { replicationFactor: 3 },
    });
    expect(desired?.project.sensitive).toEqual(['kafka.brokers', 'kafka.sasl.password']);
    expect(desired?.topics.map((t) => t.name)).toEqual(['orders-us', 'big']);
  });

  it('leaves environments that are not chosen unresolved', async () => {
    const { diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics.filter((d) => d.summary.includes('UNSET_ONLY_IN_STAGING'))).toEqual([]);
  });

  it('reports a missing variable of the chosen environment at its line', async () => {
    const { diagnostics } = await loadProject(dir, { environment: 'prod', env: {} });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_INTERPOLATION',
        source: expect.objectContaining({ file: 'pipeline.config.yaml', line: 14, column: 17 }),
        summary: expect.stringContaining('PROD_BROKERS'),
      }),
    ]);
  });

  it('names the environments there are when asked for another', async () => {
    const { diagnostics } = await loadProject(dir, { environment: 'prd', env: {} });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        source: expect.objectContaining({ pointer: '/environments' }),
        summary: 'no environment "prd" in environments (defined: prod, staging)',
        suggestion: 'did you mean "prod"?',
      }),
    ]);
  });
});

describe('the project file itself', () => {
  it('must exist: the message names the folder and the commands that start a project', async () => {
    const dir = project({ 'pipelines/p.yaml': '' });
    const { diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'CONFIG_NOT_FOUND',
        summary: `no pipeline.config.yaml in ${dir}: not a pipe project (pipe init starts one; pipe import turns Kafka Connect files into one)`,
      },
    ]);
  });

  it('says "no such folder" for a folder that does not exist, not a position in a missing file', async () => {
    const missing = join(project({}), 'missing');
    const { diagnostics } = await loadProject(missing, { env: {} });
    expect(diagnostics).toEqual([
      { severity: 'error', code: 'CONFIG_NOT_FOUND', summary: `no such folder: ${missing}` },
    ]);
  });

  it('needs a project name and brokers', async () => {
    const { diagnostics } = await loadProject(project({ 'pipeline.config.yaml': 'kafka: {}\n' }), {
      env: {},
    });
    expect(diagnostics.map((d) => [d.source?.pointer, d.summary])).toEqual([
      ['', 'missing required key "project"'],
      ['/kafka', 'missing required key "brokers"'],
    ]);
  });

  it('names the state topics after the project unless told otherwise', async () => {
    const dir = project({
      'pipeline.config.yaml':
        'project: p\nkafka: { brokers: "b:1" }\nworker: { offsetStorage: file, offsetFile: o.json }\n',
    });
    const { desired } = await loadProject(dir, { env: {} });
    expect(desired?.project.state.topicPrefix).toBe('pipe-p');
    expect(desired?.project.worker).toEqual({
      offsetStorage: 'file',
      offsetFile: join(dir, 'o.json'),
      offsetFlushIntervalMs: 10000,
      exactlyOnce: false,
      httpListen: '127.0.0.1:8083',
    });
  });

  it('reads worker.exactlyOnce and refuses it with offsets in a file', async () => {
    const ok = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: "b:1" }\nworker: { exactlyOnce: true }\n',
    });
    expect((await loadProject(ok, { env: {} })).desired?.project.worker.exactlyOnce).toBe(true);
    const bad = project({
      'pipeline.config.yaml':
        'project: p\nkafka: { brokers: "b:1" }\nworker: { exactlyOnce: true, offsetStorage: file }\n',
    });
    const { desired, diagnostics } = await loadProject(bad, { env: {} });
    expect(desired).toBeUndefined();
    expect(diagnostics.map((d) => d.source?.pointer)).toContain('/worker/offsetStorage');
  });

  it('reads the HTTP listen address and refuses one that is not host:port', async () => {
    const ok = project({
      'pipeline.config.yaml':
        'project: p\nkafka: { brokers: "b:1" }\nworker: { http: { listen: "0.0.0.0:9000" } }\n',
    });
    expect((await loadProject(ok, { env: {} })).desired?.project.worker.httpListen).toBe('0.0.0.0:9000');
    const bad = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: "b:1" }\nworker: { http: { listen: "9000" } }\n',
    });
    const { diagnostics } = await loadProject(bad, { env: {} });
    expect(diagnostics.map((d) => d.source?.pointer)).toEqual(['/worker/http/listen']);
  });

  it('reads TLS and basic authentication for the HTTP server, the password a secret', async () => {
    const ok = project({
      'tls/cert.pem': 'CERT',
      'tls/key.pem': 'KEY',
      'pipeline.config.yaml': [
        'project: p',
        'kafka: { brokers: "b:1" }',
        'worker:',
        '  http:',
        '    tls: { cert: "${file:tls/cert.pem}", key: "${file:tls/key.pem}" }',
        '    basicAuth: { username: ops, password: "${env:PIPE_HTTP_PASSWORD}" }',
        '',
      ].join('\n'),
    });
    const { desired } = await loadProject(ok, { env: { PIPE_HTTP_PASSWORD: 'letmein' } });
    expect(desired?.project.worker.httpTls).toEqual({ cert: 'CERT', key: 'KEY' });
    expect(desired?.project.worker.httpBasicAuth).toEqual({ username: 'ops', password: 'letmein' });
    expect(desired?.project.sensitive).toEqual(expect.arrayContaining(['worker.http.basicAuth.password']));
    const bad = project({
      'pipeline.config.yaml':
        'project: p\nkafka: { brokers: "b:1" }\nworker: { http: { basicAuth: { username: ops } } }\n',
    });
    expect((await loadProject(bad, { env: {} })).diagnostics.map((d) => d.source?.pointer)).toEqual([
      '/worker/http/basicAuth',
    ]);
  });
});

describe('across pipeline files', () => {
  it('warns when a connector uses a topic no pipeline declares', async () => {
    const dir = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: "b:1" }\n',
      'pipelines/p.yaml': 'sinks:\n  s:\n    connector: console\n    topics: [elsewhere]\n',
    });
    const { desired, diagnostics } = await loadProject(dir, { env: {} });
    expect(desired).toBeDefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'UNDECLARED_TOPIC',
        source: expect.objectContaining({ line: 4, column: 14, pointer: '/sinks/s/topics/0' }),
      }),
    ]);
  });

  it('treats a source and a sink of the same name as a duplicate, since Connect names connectors', async () => {
    const dir = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: "b:1" }\n',
      'pipelines/a.yaml': 'topics: { t: {} }\nsources:\n  x: { connector: datagen, topic: t }\n',
      'pipelines/b.yaml': 'sinks:\n  x: { connector: console, topics: [t] }\n',
    });
    const { diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_DUPLICATE',
        source: expect.objectContaining({ file: 'pipelines/b.yaml', line: 2 }),
        summary: expect.stringContaining('pipelines/a.yaml:3:3'),
      }),
    ]);
  });
});

describe('a value written as one reference', () => {
  it('takes the type its field needs, quoted or not', async () => {
    const dir = project({
      'pipeline.config.yaml':
        'project: p\nkafka: { brokers: "b:1", requestTimeoutMs: "${env:TIMEOUT}" }\nworker:\n  restPort: ${env:PORT}\n',
      'pipelines/p.yaml': 'topics:\n  "${env:TOPIC}": { partitions: "${env:PARTS}" }\n',
    });
    const { desired, diagnostics } = await loadProject(dir, {
      env: { TIMEOUT: '5000', PORT: '8083', PARTS: '4', TOPIC: 'x' },
    });
    expect(diagnostics).toEqual([]);
    expect(desired?.project.kafka.requestTimeoutMs).toBe(5000);
    expect(desired?.project.worker.restPort).toBe(8083);
    expect(desired?.topics[0]?.partitions).toBe(4);
  });

  it('is still checked: text that is no number is reported as such', async () => {
    const dir = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: "b:1" }\nworker:\n  restPort: ${env:PORT}\n',
    });
    const { diagnostics } = await loadProject(dir, { env: { PORT: 'eighty' } });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        source: expect.objectContaining({ pointer: '/worker/restPort', line: 4, column: 13 }),
        summary: 'must be an integer from 0 to 65535',
      }),
    ]);
  });
});

describe('topic configs', () => {
  it('become the strings Kafka holds, integers beyond 2^53 digit for digit', async () => {
    const dir = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: "b:1" }\n',
      'pipelines/p.yaml':
        'topics:\n  t:\n    config: { retention.ms: 9223372036854775807, preallocate: true, min.cleanable.dirty.ratio: 0.5 }\n',
    });
    const { desired } = await loadProject(dir, { env: {} });
    expect(desired?.topics[0]?.config).toEqual({
      'retention.ms': '9223372036854775807',
      preallocate: 'true',
      'min.cleanable.dirty.ratio': '0.5',
    });
  });
});

describe('the format version', () => {
  it('is 1; another is refused with a reason', async () => {
    const dir = project({
      'pipeline.config.yaml': 'version: 1\nproject: p\nkafka: { brokers: "b:1" }\n',
      'pipelines/p.yaml': 'version: 2\n',
    });
    const { diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        source: expect.objectContaining({ file: 'pipelines/p.yaml', line: 1, column: 10 }),
        summary: expect.stringContaining('format version 1'),
      }),
    ]);
  });
});

describe('a broken project file', () => {
  it('is the one error reported, not every variable the pipelines use', async () => {
    const dir = project({
      'pipeline.config.yaml': 'project: p\nkafka: { brokers: x\nvars: { region: eu }\n',
      'pipelines/p.yaml': 'topics:\n  t-${var:region}: { partitions: "${var:n}" }\n',
    });
    const { diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics.map((d) => [d.source?.file, d.code])).toEqual([
      ['pipeline.config.yaml', 'CONFIG_YAML'],
    ]);
  });
});
