import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Diagnostic, formatDiagnostic } from './diagnostics.js';
import { loadProject } from './load.js';
import { dottedPath } from './yaml-source.js';

const PROJECT = 'project: demo\nkafka:\n  brokers: 127.0.0.1:9092\n';
const GOOD = `topics:
  orders:
    partitions: 3
sources:
  in:
    connector: file
    topic: orders
    config: { file: in.txt }
sinks:
  out:
    connector: file
    topics: [orders]
    config: { file: out.txt }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function load(
  files: Record<string, string>,
  options: { env?: NodeJS.ProcessEnv; environment?: string } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-config-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries({ 'pipeline.config.yaml': PROJECT, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return loadProject(dir, { env: {}, ...options });
}

function replace(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
  return text.replace(from, to);
}

interface BadCase {
  name: string;
  files: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  severity?: 'error' | 'warning';
  expected: Partial<Flat>;
}

/** A diagnostic as one flat row, so each case reads as where and what. */
interface Flat {
  severity: Diagnostic['severity'];
  code: Diagnostic['code'];
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  suggestion?: string;
}

function flat(d: Diagnostic): Flat {
  return {
    severity: d.severity,
    code: d.code,
    file: d.source?.file ?? '',
    line: d.source?.line ?? 0,
    column: d.source?.column ?? 0,
    path: dottedPath(d.source?.pointer ?? ''),
    message: d.summary,
    ...(d.suggestion === undefined ? {} : { suggestion: d.suggestion }),
  };
}

const cases: BadCase[] = [
  {
    name: 'YAML syntax error',
    files: { 'pipelines/p.yaml': replace(GOOD, 'config: { file: out.txt }', 'config: { file: out.txt') },
    expected: { code: 'CONFIG_YAML', file: 'pipelines/p.yaml', line: 13, column: 28 },
  },
  {
    name: 'wrong type',
    files: { 'pipelines/p.yaml': replace(GOOD, 'partitions: 3', 'partitions: three') },
    expected: {
      code: 'CONFIG_SCHEMA',
      file: 'pipelines/p.yaml',
      line: 3,
      column: 17,
      path: 'topics.orders.partitions',
      message: 'must be an integer ≥ 1',
    },
  },
  {
    name: 'value out of range',
    files: { 'pipelines/p.yaml': replace(GOOD, 'partitions: 3', 'partitions: 0') },
    expected: { line: 3, column: 17, path: 'topics.orders.partitions', message: 'must be an integer ≥ 1' },
  },
  {
    name: 'misspelled key',
    files: { 'pipelines/p.yaml': replace(GOOD, 'partitions: 3', 'partitons: 3') },
    expected: {
      line: 3,
      column: 5,
      path: 'topics.orders.partitons',
      message: 'unknown key "partitons"',
      suggestion: 'did you mean "partitions"?',
    },
  },
  {
    name: 'unknown connector type',
    files: { 'pipelines/p.yaml': replace(GOOD, 'connector: file\n    topic', 'connector: fiel\n    topic') },
    expected: {
      code: 'UNKNOWN_CONNECTOR',
      line: 6,
      column: 16,
      path: 'sources.in.connector',
      suggestion: 'did you mean "file"?',
    },
  },
  {
    name: 'bad converter',
    files: {
      'pipelines/p.yaml': replace(GOOD, 'topic: orders\n', 'topic: orders\n    value: { converter: avro }\n'),
    },
    expected: {
      line: 8,
      column: 25,
      path: 'sources.in.value.converter',
      message: 'must be one of "json", "string", "bytearray"',
    },
  },
  {
    name: 'empty topics of a sink',
    files: { 'pipelines/p.yaml': replace(GOOD, 'topics: [orders]', 'topics: []') },
    expected: { line: 12, column: 13, path: 'sinks.out.topics', message: 'must not be empty' },
  },
  {
    name: 'connector config missing a required key',
    files: { 'pipelines/p.yaml': replace(GOOD, 'config: { file: out.txt }', 'config: { fil: out.txt }') },
    expected: {
      line: 13,
      column: 15,
      path: 'sinks.out.config.fil',
      message: 'unknown key "fil"',
      suggestion: 'did you mean "file"?',
    },
  },
  {
    name: 'built-in source without its topic',
    files: { 'pipelines/p.yaml': replace(GOOD, '    topic: orders\n', '') },
    expected: { line: 5, column: 3, path: 'sources.in', message: 'missing required key "topic"' },
  },
  {
    name: 'sink with both topics and topicsRegex',
    files: {
      'pipelines/p.yaml': replace(GOOD, 'topics: [orders]', 'topics: [orders]\n    topicsRegex: "ord.*"'),
    },
    expected: {
      line: 10,
      column: 3,
      path: 'sinks.out',
      message: 'must have only one of "topics", "topicsRegex"',
    },
  },
  {
    name: 'connector config value of the wrong kind',
    files: {
      'pipelines/p.yaml': replace(
        GOOD,
        'connector: file\n    topic: orders\n    config: { file: in.txt }',
        'connector: datagen\n    topic: orders\n    config: { rate: 0 }',
      ),
    },
    expected: { line: 8, column: 21, path: 'sources.in.config.rate', message: 'must be a number > 0' },
  },
  {
    name: 'duplicate name across files',
    files: {
      'pipelines/a.yaml': GOOD,
      'pipelines/b.yaml': 'topics:\n  orders:\n    partitions: 1\n',
    },
    expected: {
      code: 'CONFIG_DUPLICATE',
      file: 'pipelines/b.yaml',
      line: 2,
      column: 3,
      path: 'topics.orders',
      message: expect.stringContaining('pipelines/a.yaml:2:3') as unknown as string,
    },
  },
  {
    name: 'missing environment variable',
    files: {
      'pipelines/p.yaml': replace(GOOD, 'config: { file: in.txt }', 'config:\n      file: in/${env:IN_FILE}'),
    },
    expected: {
      code: 'CONFIG_INTERPOLATION',
      line: 9,
      column: 16,
      path: 'sources.in.config.file',
      message: expect.stringContaining('environment variable IN_FILE is not set') as unknown as string,
    },
  },
  {
    name: 'unknown topic config key',
    files: {
      'pipelines/p.yaml': replace(
        GOOD,
        'partitions: 3',
        'partitions: 3\n    config: { retention.msec: 1000 }',
      ),
    },
    severity: 'warning',
    expected: {
      code: 'UNKNOWN_TOPIC_CONFIG',
      line: 4,
      column: 15,
      path: 'topics.orders.config.retention.msec',
      suggestion: 'did you mean "retention.ms"?',
    },
  },
];

describe('pipe validate on bad input', () => {
  it('accepts the good fixture', async () => {
    const result = await load({ 'pipelines/p.yaml': GOOD });
    expect(result.diagnostics).toEqual([]);
    expect(result.desired).toBeDefined();
  });

  it.each(cases)('reports $name where it is', async ({ files, env, severity = 'error', expected }) => {
    const result = await load(files, env ? { env } : {});
    expect(result.diagnostics.map(flat)).toContainEqual(expect.objectContaining({ severity, ...expected }));
    expect(result.desired === undefined).toBe(severity === 'error');
  });
});

describe('a YAML syntax error', () => {
  it('is shown with its line and a caret under the column', async () => {
    const { diagnostics } = await load({ 'pipelines/p.yaml': 'topics:\n  orders: {partitions: 3\n' });
    const text = formatDiagnostic(diagnostics[0]!);
    expect(text).toMatch(/^pipelines\/p\.yaml:\d+:\d+: YAML syntax: /);
    const [, source, caret] = text.split('\n');
    const { line, column } = flat(diagnostics[0]!);
    expect(caret).toBe(`  | ${' '.repeat(column - 1)}^`);
    expect(source).toBe(`  | ${'topics:\n  orders: {partitions: 3\n'.split('\n')[line - 1]}`);
  });
});
