import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../config/load.js';
import type { ConnectorSpec } from '../config/model.js';
import { plan } from '../plan/diff.js';
import { importConnect } from './import-connect.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/connect-import/', import.meta.url));
const exampleProject = fileURLToPath(new URL('../../', import.meta.url));
const SEED = ['connect-standalone.properties', 'connect-source.properties', 'connect-sink.properties'];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(names: string[]) {
  const inputs = names.map((name) => ({ path: name, text: readFileSync(join(fixtures, name), 'utf8') }));
  return importConnect(inputs, { project: 'demo', pipeline: 'file-demo' });
}

/** Writes the import into a fresh folder and loads it as pipe would. */
async function loadImported(names: string[], env: NodeJS.ProcessEnv = {}) {
  const result = run(names);
  const dir = mkdtempSync(join(tmpdir(), 'pipe-import-'));
  dirs.push(dir);
  const files: [string, string][] = [['pipeline.config.yaml', result.projectFile]];
  if (result.pipelineFile) files.push([result.pipelineFile.path, result.pipelineFile.text]);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { result, ...(await loadProject(dir, { env })) };
}

const withoutOrigin = ({ origin: _origin, ...rest }: ConnectorSpec) => rest;

describe("importing the seed's standalone files", () => {
  it('gives a project that validates, with the connectors of the example project', async () => {
    const { desired, diagnostics } = await loadImported(SEED);
    expect(diagnostics).toEqual([]);
    const example = await loadProject(exampleProject, { env: {} });
    expect(desired?.connectors.map(withoutOrigin)).toEqual(example.desired?.connectors.map(withoutOrigin));
    expect(desired?.topics.map((t) => t.name)).toEqual(['connect-test']);
  });

  it('plans the seed demo: its topic, then the file source and sink', async () => {
    const { desired } = await loadImported(SEED);
    const nothing = { stateTopicsExist: false, topics: {}, managedTopics: {}, connectors: {} };
    expect(plan(desired!, nothing).changes.map((c) => [c.action, c.address])).toEqual([
      ['create', 'topic.connect-test'],
      ['create', 'source.local-file-source'],
      ['create', 'sink.local-file-sink'],
    ]);
  });

  it('maps the worker settings into the project file', async () => {
    const { desired } = await loadImported(SEED, { KAFKA_BROKERS: 'broker:1234' });
    expect(desired?.project).toMatchObject({
      name: 'demo',
      kafka: { brokers: ['broker:1234'] },
      worker: {
        offsetStorage: 'file',
        offsetFile: expect.stringMatching(/\/\.pipe\/offsets\.json$/),
        offsetFlushIntervalMs: 10000,
      },
    });
    const { desired: fallback } = await loadImported(SEED);
    expect(fallback?.project.kafka.brokers).toEqual(['localhost:9092']);
  });

  it("keeps the offsets in the project's own file, converted from Connect's, which stays Connect's", () => {
    const { offsets } = run(SEED);
    expect(offsets).toEqual({
      from: '/tmp/connect.offsets',
      to: '.pipe/offsets.json',
      file: 'connect-standalone.properties',
      line: 11,
    });
  });

  it('warns about each obsolete internal.* key and ignores it', () => {
    const { notes, projectFile } = run(SEED);
    expect(notes.filter((n) => n.message.includes('obsolete')).map((n) => n.line)).toEqual([7, 8, 9, 10]);
    expect(projectFile).not.toContain('internal');
  });

  it('starts every file with the schema modeline', () => {
    const { projectFile, pipelineFile } = run(SEED);
    expect(projectFile.split('\n')[0]).toBe('# yaml-language-server: $schema=./schemas/project.schema.json');
    expect(pipelineFile?.text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schemas/pipeline.schema.json',
    );
  });
});

describe('importing a secured worker', () => {
  const worker = [
    'bootstrap.servers=b1:9093,b2:9093',
    'security.protocol=SASL_SSL',
    'sasl.mechanism=SCRAM-SHA-512',
    'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="hunter2";',
    'rest.port=8084',
    'plugin.path=/opt/connectors',
    'consumer.max.poll.records=10',
  ].join('\n');

  it('maps TLS and SASL, reading the password from the environment instead of copying it', async () => {
    const result = importConnect([{ path: 'worker.properties', text: worker }], {
      project: 'p',
      pipeline: 'p',
    });
    expect(result.projectFile).not.toContain('hunter2');
    const dir = mkdtempSync(join(tmpdir(), 'pipe-import-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'pipeline.config.yaml'), result.projectFile);
    const { desired } = await loadProject(dir, { env: { KAFKA_SASL_PASSWORD: 'from-env' } });
    expect(desired?.project.kafka).toMatchObject({
      brokers: ['b1:9093', 'b2:9093'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'from-env' },
    });
    expect(desired?.project.worker.restPort).toBe(8084);
    expect(desired?.project.sensitive).toContain('kafka.sasl.password');
  });

  it('says which settings it leaves out and why', () => {
    const { notes } = importConnect([{ path: 'worker.properties', text: worker }], {
      project: 'p',
      pipeline: 'p',
    });
    expect(notes.map((n) => `${n.level} ${n.line} ${n.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^note 6 plugin.path is not needed/),
        expect.stringMatching(/^warning 7 consumer.max.poll.records has no pipe equivalent/),
        expect.stringMatching(/^note 4 the SASL password is read from/),
      ]),
    );
  });
});

describe('importing connectors as REST JSON', () => {
  it('reads {name, config} with Connect string values', async () => {
    const { desired, diagnostics } = await loadImported(['distributed-local-file-source.json']);
    expect(diagnostics).toEqual([]);
    expect(desired?.connectors).toEqual([
      expect.objectContaining({
        kind: 'source',
        name: 'distributed-local-file-source',
        connector: 'file',
        tasks: 3,
      }),
    ]);
  });

  it('keeps a class pipe does not run as connect:<class> with its raw config, and says so', async () => {
    const { desired, diagnostics, result } = await loadImported(['jdbc-sink.json']);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [sink] = desired?.connectors ?? [];
    expect(sink).toMatchObject({
      kind: 'sink',
      name: 'jdbc-sink',
      connector: 'connect:io.confluent.connect.jdbc.JdbcSinkConnector',
      tasks: 2,
      topics: ['orders', 'payments'],
      config: {
        'connection.url': 'jdbc:postgresql://db:5432/shop',
        'connection.password': 'hunter2',
        'auto.create': 'true',
      },
      value: { type: 'json', schemas: false },
      errors: { tolerance: 'all', deadLetterTopic: 'orders-dlq' },
      sensitive: ['config.connection.password'],
    });
    expect(result.notes.map((n) => n.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('kept as connect:io.confluent.connect.jdbc.JdbcSinkConnector'),
        expect.stringContaining('connection.password is a secret written in clear'),
      ]),
    );
  });

  it("reads a whole cluster's listing from GET /connectors?expand=info, with Connect's short class aliases", () => {
    const listing = {
      a: {
        info: {
          name: 'a',
          config: { 'connector.class': 'FileStreamSource', topic: 't', file: 'x' },
          tasks: [],
        },
      },
      b: {
        info: {
          name: 'b',
          config: { 'connector.class': 'FileStreamSink', topics: 't', file: 'y' },
          tasks: [],
        },
      },
    };
    const { pipelineFile } = importConnect([{ path: 'all.json', text: JSON.stringify(listing) }], {
      project: 'p',
      pipeline: 'all',
    });
    expect(pipelineFile?.text).toMatch(/sources:\n {2}a:\n {4}connector: file\n/);
    expect(pipelineFile?.text).toMatch(/sinks:\n {2}b:\n {4}connector: file\n/);
  });

  it('refuses JSON that is not a connector', () => {
    expect(() =>
      importConnect([{ path: 'x.json', text: '{"name":"x","config":{}}' }], { project: 'p', pipeline: 'p' }),
    ).toThrow(/no "connector.class"/);
  });
});
