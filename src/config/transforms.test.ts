import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from './load.js';
import { dottedPath } from './yaml-source.js';

const PROJECT = 'project: demo\nkafka:\n  brokers: 127.0.0.1:9092\n';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function load(pipeline: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-transforms-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries({
    'pipeline.config.yaml': PROJECT,
    'pipelines/p.yaml': pipeline,
  })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return loadProject(dir, { env: {} });
}

/** A file source whose transforms list is `transforms` (indented to sit under the source). */
function withTransforms(transforms: string, predicates = ''): string {
  return `topics:
  lines: {}
${predicates}sources:
  in:
    connector: file
    topic: lines
    config: { file: in.txt }
    transforms:
${transforms}`;
}

describe('transforms in the YAML', () => {
  it('resolves short names to Connect class names and predicates into the transform', async () => {
    const { desired, diagnostics } = await load(
      withTransforms(
        `      - name: hoist
        type: HoistField$Value
        config: { field: line }
      - name: drop-internal
        type: org.apache.kafka.connect.transforms.Filter
        predicate: internal
        negate: true
`,
        `predicates:
  internal:
    type: TopicNameMatches
    config: { pattern: "internal-.*" }
`,
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(desired?.connectors[0]?.transforms).toEqual([
      {
        name: 'hoist',
        type: 'org.apache.kafka.connect.transforms.HoistField$Value',
        config: { field: 'line' },
        negate: false,
      },
      {
        name: 'drop-internal',
        type: 'org.apache.kafka.connect.transforms.Filter',
        config: {},
        negate: true,
        predicate: {
          name: 'internal',
          type: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
          config: { pattern: 'internal-.*' },
        },
      },
    ]);
  });

  it('lets a connector that runs on Kafka Connect use any transform class, passed on as it is', async () => {
    const { desired, diagnostics } = await load(`topics:
  lines: {}
sources:
  jdbc:
    connector: connect:io.confluent.connect.jdbc.JdbcSourceConnector
    topic: lines
    config: { connection.url: "jdbc:postgresql://db/x" }
    transforms:
      - name: custom
        type: com.example.transforms.Redact$Value
        config: { fields: ssn }
`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(desired?.connectors[0]?.transforms).toEqual([
      {
        name: 'custom',
        type: 'com.example.transforms.Redact$Value',
        config: { fields: 'ssn' },
        negate: false,
      },
    ]);
  });

  const bad: Array<{
    name: string;
    transforms: string;
    predicates?: string;
    expected: Record<string, unknown>;
  }> = [
    {
      name: 'an unknown type, with did-you-mean',
      transforms: '      - name: h\n        type: HoistFeld$Value\n        config: { field: x }\n',
      expected: {
        code: 'UNKNOWN_TRANSFORM',
        line: 10,
        column: 15,
        path: 'sources.in.transforms.0.type',
        suggestion: 'did you mean "HoistField$Value"?',
      },
    },
    {
      name: 'a misspelt Connect class name',
      transforms:
        '      - name: h\n        type: org.apache.kafka.connect.transforms.HoistFild$Key\n        config: { field: x }\n',
      expected: { code: 'UNKNOWN_TRANSFORM', line: 10, suggestion: 'did you mean "HoistField$Key"?' },
    },
    {
      name: 'a transform class pipe does not run, on a connector pipe runs',
      transforms:
        '      - name: h\n        type: org.apache.kafka.connect.transforms.HoistFeld$Value\n        config: { field: x }\n',
      expected: {
        code: 'UNKNOWN_TRANSFORM',
        line: 10,
        path: 'sources.in.transforms.0.type',
        suggestion: 'did you mean "HoistField$Value"?',
      },
    },
    {
      name: 'a transform without a name',
      transforms: '      - type: HoistField$Value\n        config: { field: x }\n',
      expected: { code: 'CONFIG_SCHEMA', line: 9, message: 'missing required key "name"' },
    },
    {
      name: 'a setting the type does not have',
      transforms: '      - name: h\n        type: HoistField$Value\n        config: { feld: x }\n',
      expected: { code: 'CONFIG_SCHEMA', line: 11, path: 'sources.in.transforms.0.config.feld' },
    },
    {
      name: 'a cast to an impossible type',
      transforms: '      - name: c\n        type: Cast$Value\n        config: { spec: "id:int128" }\n',
      expected: {
        code: 'TRANSFORM_CONFIG',
        line: 11,
        column: 25,
        path: 'sources.in.transforms.0.config.spec',
        message: expect.stringContaining('Invalid type found in casting spec: int128'),
      },
    },
    {
      name: 'a cast to a type Connect cannot cast to',
      transforms: '      - name: c\n        type: Cast$Value\n        config: { spec: [ "id:struct" ] }\n',
      expected: {
        code: 'TRANSFORM_CONFIG',
        message: expect.stringContaining('does not support casting to STRUCT'),
      },
    },
    {
      name: 'a regex that does not compile',
      transforms:
        '      - name: r\n        type: RegexRouter\n        config: { regex: "(orders", replacement: x }\n',
      expected: { code: 'TRANSFORM_CONFIG', line: 11, path: 'sources.in.transforms.0.config.regex' },
    },
    {
      name: 'a predicate regex that does not compile',
      transforms: '      - name: f\n        type: Filter\n',
      predicates: 'predicates:\n  p:\n    type: TopicNameMatches\n    config: { pattern: "[a-" }\n',
      expected: { code: 'TRANSFORM_CONFIG', path: 'predicates.p.config.pattern' },
    },
    {
      name: 'an undeclared predicate',
      transforms: '      - name: f\n        type: Filter\n        predicate: tombstone\n',
      predicates: 'predicates:\n  tombstones:\n    type: RecordIsTombstone\n',
      expected: {
        code: 'TRANSFORM_CONFIG',
        path: 'sources.in.transforms.0.predicate',
        suggestion: 'did you mean "tombstones"?',
      },
    },
    {
      name: 'a rename that is not old:new',
      transforms: '      - name: r\n        type: ReplaceField$Value\n        config: { renames: "a:b:c" }\n',
      expected: { code: 'TRANSFORM_CONFIG', path: 'sources.in.transforms.0.config.renames' },
    },
    {
      name: 'two transforms with one name',
      transforms: '      - name: f\n        type: Filter\n      - name: f\n        type: Filter\n',
      expected: { code: 'TRANSFORM_CONFIG', path: 'sources.in.transforms.1.name' },
    },
  ];
  for (const c of bad) {
    it(`reports ${c.name} at its YAML position`, async () => {
      const { desired, diagnostics } = await load(withTransforms(c.transforms, c.predicates));
      expect(desired).toBeUndefined();
      const flat = diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.summary,
        file: d.source?.file,
        line: d.source?.line,
        column: d.source?.column,
        path: dottedPath(d.source?.pointer ?? ''),
        suggestion: d.suggestion,
      }));
      expect(flat).toContainEqual(
        expect.objectContaining({ severity: 'error', file: 'pipelines/p.yaml', ...c.expected }),
      );
    });
  }
});
