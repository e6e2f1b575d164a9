import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransformSpec } from '../src/config/model.js';
import { consume, createTopic, produce, uniqueName, waitFor } from './helpers/kafka.js';
import { applyConnectorSteadily, connectorSpec, startWorker, testProject } from './helpers/worker.js';

const T = 'org.apache.kafka.connect.transforms.';

function transform(
  name: string,
  type: string,
  config: Record<string, unknown>,
  extra: Partial<TransformSpec> = {},
) {
  return { name, type: T + type, config, negate: false, ...extra };
}

async function fileContent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

describe('worker: transforms on the real broker', () => {
  it('runs a file source through a chain of transforms and writes Connect’s bytes to the routed topic', async () => {
    const project = await testProject();
    const base = uniqueName('lines');
    const topic = `${base}-in`;
    const routed = `${base}-out`;
    await createTopic(topic, 1);
    await createTopic(routed, 1);
    const file = join(project.dir, 'in', 'lines.txt');
    const name = uniqueName('transformed-source');
    await applyConnectorSteadily(
      project,
      connectorSpec({
        kind: 'source',
        name,
        connector: 'file',
        topic,
        config: { file },
        transforms: [
          transform('hoist', 'HoistField$Value', { field: 'line' }),
          transform('stamp', 'InsertField$Value', {
            'topic.field': 'topic',
            'static.field': 'origin',
            'static.value': 'pipe',
          }),
          transform('key', 'ValueToKey', { fields: ['line'] }),
          transform(
            'skip-comments',
            'Filter',
            {},
            {
              predicate: {
                name: 'comment',
                type: `${T}predicates.HasHeaderKey`,
                config: { name: 'comment' },
              },
            },
          ),
          transform('tag', 'InsertHeader', { header: 'app', 'value.literal': 'pipe' }),
          transform('route', 'RegexRouter', { regex: '(.*)-in', replacement: '$1-out' }),
        ],
      }),
    );
    const w = await startWorker(project);
    try {
      await mkdir(join(project.dir, 'in'), { recursive: true });
      await writeFile(file, '');
      for (const line of ['aaa', 'bbb']) await appendFile(file, `${line}\n`);
      const messages = await consume(routed, 2);
      const line = '{"type":"string","optional":false,"field":"line"}';
      const key = (v: string) =>
        `{"schema":{"type":"struct","fields":[${line}],"optional":false},"payload":{"line":"${v}"}}`;
      const value = (v: string) =>
        `{"schema":{"type":"struct","fields":[${line},{"type":"string","optional":true,"field":"topic"},{"type":"string","optional":true,"field":"origin"}],"optional":false},"payload":{"line":"${v}","topic":"${topic}","origin":"pipe"}}`;
      expect(
        messages.map((m) => [m.key?.toString(), m.value?.toString(), m.headers['app']?.toString()]),
      ).toEqual([
        [key('aaa'), value('aaa'), 'pipe'],
        [key('bbb'), value('bbb'), 'pipe'],
      ]);
    } finally {
      await w.stop();
    }
  });

  it('sends a record a transform fails on to the dead letter topic, naming the transform, and delivers the rest', async () => {
    const project = await testProject();
    const topic = uniqueName('numbers');
    const dlq = uniqueName('numbers-dlq');
    await createTopic(topic, 1);
    await createTopic(dlq, 1);
    const out = join(project.dir, 'out', 'numbers.txt');
    await mkdir(join(project.dir, 'out'), { recursive: true });
    // A topic just created may not have its leader yet: the produce is retried until the broker takes it.
    await waitFor('the records produced', () =>
      produce(topic, [{ value: '{"n":"12"}' }, { value: '{"n":"twelve"}' }, { value: '{"n":"7"}' }]).then(
        () => true,
        () => false,
      ),
    );
    await applyConnectorSteadily(
      project,
      connectorSpec({
        kind: 'sink',
        name: uniqueName('numbers-sink'),
        connector: 'file',
        topics: [topic],
        config: { file: out },
        value: { type: 'json', schemas: false, decimalFormat: 'BASE64' },
        transforms: [
          transform('to-int', 'Cast$Value', { spec: 'n:int32' }),
          transform('pick', 'ExtractField$Value', { field: 'n' }),
        ],
        errors: { tolerance: 'all', deadLetterTopic: dlq, retries: 0 },
      }),
    );
    const w = await startWorker(project);
    try {
      await waitFor('two lines in the sink file', async () => (await fileContent(out)) === '12\n7\n');
      const [letter] = await consume(dlq, 1);
      expect(letter?.value?.toString()).toBe('{"n":"twelve"}');
      const header = (k: string) => letter?.headers[`__connect.errors.${k}`]?.toString();
      expect(header('stage')).toBe('TRANSFORMATION');
      expect(header('class.name')).toBe(`${T}Cast$Value`);
      expect(header('offset')).toBe('1');
      expect(header('exception.message')).toMatch(
        /^transform "to-int" \(.*Cast\$Value\) failed: Value \(twelve\)/,
      );
    } finally {
      await w.stop();
    }
  });
});
