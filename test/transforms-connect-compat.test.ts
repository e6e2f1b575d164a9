/**
 * One transform chain, declared once, run by pipe's embedded worker and by
 * Kafka Connect standalone (its own SMT classes, given the chain as the
 * transforms.* / predicates.* settings pipe writes for Connect) over the same
 * file: the two topics must hold the same key, value and header bytes.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransformSpec } from '../src/config/model.js';
import { startConnectStandalone } from '../src/kafka/local/connect.js';
import { connectTransformProperties } from '../src/transforms/index.js';
import { brokers, consume, createTopic, uniqueName } from './helpers/kafka.js';
import { applyConnectorSteadily, connectorSpec, startWorker, testProject } from './helpers/worker.js';

const T = 'org.apache.kafka.connect.transforms.';
const spec = (
  name: string,
  type: string,
  config: Record<string, unknown>,
  extra: Partial<TransformSpec> = {},
) => ({
  name,
  type: T + type,
  config,
  negate: false,
  ...extra,
});

const CHAIN: TransformSpec[] = [
  spec('wrap', 'HoistField$Value', { field: 'line' }),
  spec('origin', 'InsertField$Value', { 'static.field': 'origin', 'static.value': 'file!' }),
  spec('key', 'ValueToKey', { fields: ['line'] }),
  spec('key-text', 'ExtractField$Key', { field: 'line' }),
  spec('mask', 'MaskField$Value', { fields: ['origin'], replacement: 'hidden' }),
  spec(
    'drop-marked',
    'Filter',
    {},
    {
      predicate: { name: 'marked', type: `${T}predicates.HasHeaderKey`, config: { name: 'skip' } },
    },
  ),
  spec('tag', 'InsertHeader', { header: 'app', 'value.literal': 'pipe' }),
  spec('name', 'SetSchemaMetadata$Value', { 'schema.name': 'demo.Line', 'schema.version': 2 }),
];

const bytes = (messages: Awaited<ReturnType<typeof consume>>) =>
  messages
    .map((m) => ({
      key: m.key?.toString(),
      value: m.value?.toString(),
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v?.toString()])),
    }))
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));

describe('transforms: pipe and Kafka Connect run the same chain', () => {
  it('write the same key, value and header bytes', async () => {
    const project = await testProject();
    const dir = join(project.dir, 'in');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'lines.txt');
    await writeFile(file, '');
    const connectTopic = uniqueName('smt-connect');
    const pipeTopic = uniqueName('smt-pipe');
    await createTopic(connectTopic, 1);
    await createTopic(pipeTopic, 1);

    const connect = await startConnectStandalone({
      brokers: brokers(),
      connectors: [
        {
          name: 'smt-file-source',
          'connector.class': 'FileStreamSourceConnector',
          'tasks.max': '1',
          file,
          topic: connectTopic,
          ...connectTransformProperties(CHAIN),
        },
      ],
    });
    await applyConnectorSteadily(
      project,
      connectorSpec({
        kind: 'source',
        name: uniqueName('smt-source'),
        connector: 'file',
        topic: pipeTopic,
        config: { file },
        transforms: CHAIN,
      }),
    );
    const w = await startWorker(project);
    try {
      for (const line of ['aaa', 'bbb', 'ccc']) await appendFile(file, `${line}\n`);
      const fromConnect = bytes(await consume(connectTopic, 3, 90_000));
      const fromPipe = bytes(await consume(pipeTopic, 3));
      expect(fromPipe).toEqual(fromConnect);
      expect(fromPipe[0]).toEqual({
        key: '{"schema":{"type":"string","optional":false},"payload":"aaa"}',
        value:
          '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"origin"}],"optional":false,"name":"demo.Line","version":2},"payload":{"line":"aaa","origin":"hidden"}}',
        headers: { app: 'pipe' },
      });
    } finally {
      await w.stop();
      await connect.stop();
    }
  });
});
