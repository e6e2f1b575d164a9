/**
 * A secret given by `${env:…}` crosses the whole chain — load, plan, apply,
 * the configs topic, the worker — without ever being written to Kafka: the
 * state holds its reference and the worker resolves it where it runs.
 */
import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { loadDesiredState } from '../src/config/load.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { brokers, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { startWorker } from './helpers/worker.js';

const SECRET_VAR = 'PIPE_TEST_SINK_FILE';

afterEach(() => {
  delete process.env[SECRET_VAR];
});

describe('secrets given by reference', () => {
  it('are stored as their reference in the configs topic and resolved by the worker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipe-secrets-'));
    const topic = uniqueName('secret');
    const sinkFile = join(dir, 'private', `${uniqueName('out')}.txt`);
    process.env[SECRET_VAR] = sinkFile;
    await writeFile(
      join(dir, 'pipeline.config.yaml'),
      `project: ${uniqueName('secrets')}\nkafka: { brokers: ["${brokers()}"] }\nworker: { offsetFlushIntervalMs: 500 }\n`,
    );
    await mkdir(join(dir, 'pipelines'));
    await writeFile(
      join(dir, 'pipelines', 'p.yaml'),
      [
        'pipeline: secrets',
        `topics: { ${topic}: { partitions: 1, replicationFactor: 1 } }`,
        `sources: { in: { connector: file, topic: ${topic}, config: { file: in.txt } } }`,
        'sinks:',
        '  out:',
        '    connector: file',
        `    topics: [${topic}]`,
        `    config: { file: "\${env:${SECRET_VAR}}" }`,
        '',
      ].join('\n'),
    );
    const { desired } = await loadDesiredState(dir, { env: process.env });
    await applyProject(desired, { autoApprove: true, wait: false });

    const configs = await readTopicToEnd(kafka(), stateTopicNames(desired.project.state.topicPrefix).configs);
    const stored = configs.map((r) => r.value?.toString() ?? '').join('\n');
    expect(stored).toContain(`\${env:${SECRET_VAR}}`);
    expect(stored).not.toContain(sinkFile);

    const worker = await startWorker(desired.project);
    try {
      await appendFile(join(dir, 'in.txt'), 'aaa\n');
      await waitFor('the line in the sink file named by the secret', async () => {
        try {
          return (await readFile(sinkFile, 'utf8')) === 'aaa\n';
        } catch {
          return false;
        }
      });
    } finally {
      await worker.stop();
    }
  });
});
