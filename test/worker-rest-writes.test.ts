/**
 * `worker.http.allowWrites: true` on the real broker: Connect's config routes
 * create, change and delete connectors that the worker then runs (records
 * flow), and the next `pipe plan` shows each change as drift from the YAML,
 * saying it was made outside pipe; `pipe apply` sets it all back.
 */
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { renderHuman } from '../src/cli/views/plan-human.js';
import { loadDesiredState } from '../src/config/load.js';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { planProject } from '../src/plan/index.js';
import { startServedWorker } from '../src/worker/http/served-worker.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function values(topic: string): Promise<string[]> {
  return (await readTopicToEnd(kafka(), topic)).map((r) => r.value?.toString('utf8') ?? '');
}

describe('Connect config writes on the worker (worker.http.allowWrites)', () => {
  it('create, change and delete take effect in the worker and show as drift in the next plan', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pipe-rest-writes-'));
    dirs.push(root);
    const name = uniqueName('writes');
    const lines = `${name}-lines`;
    const extra = `${name}-extra`;
    await createTopic(extra, 1);
    await mkdir(join(root, 'pipelines'));
    await writeFile(join(root, 'in.txt'), 'a\n');
    await writeFile(
      join(root, 'pipeline.config.yaml'),
      `project: ${name}\nkafka: { brokers: ["${brokers()}"] }\nstate: { topicPrefix: ${name}-state }\nworker:\n  http: { listen: "127.0.0.1:0", allowWrites: true }\n`,
    );
    await writeFile(
      join(root, 'pipelines', 'lines.yaml'),
      `topics:
  ${lines}: { partitions: 1, replicationFactor: 1 }
sources:
  lines-in:
    connector: file
    topic: ${lines}
    value: { converter: json, schemas: false }
    config: { file: in.txt }
sinks:
  lines-out:
    connector: file
    topics: [${lines}]
    value: { converter: json, schemas: false }
    config: { file: out.txt }
`,
    );
    const { desired } = await loadDesiredState(root);
    expect(desired.project.worker.httpAllowWrites).toBe(true);
    // A fresh broker may not have a leader yet for the state topics the first apply creates.
    await waitFor('the project applied', () =>
      applyProject(desired, { autoApprove: true, wait: false }).then(
        () => true,
        () => false,
      ),
    );
    const served = await startServedWorker({
      project: desired.project,
      log: quiet,
      http: { listen: '127.0.0.1:0', setting: 'test' },
    });
    try {
      const base = `http://127.0.0.1:${served.http?.address.port}`;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${base}${path}`, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      };
      await waitFor('"a" on the topic', async () => (await values(lines)).includes('"a"'));

      // Created over REST, declared nowhere: runs at once.
      const created = await call('POST', '/connectors', {
        name: 'extra-in',
        config: {
          'connector.class': 'FileStreamSource',
          topic: extra,
          file: 'extra.txt',
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        },
      });
      expect(created).toMatchObject({ status: 201, body: { name: 'extra-in', tasks: [], type: 'source' } });
      expect((await call('POST', '/connectors', { name: 'extra-in', config: {} })).status).toBe(409);
      await writeFile(join(root, 'extra.txt'), 'x1\nx2\n');
      await waitFor('the created source writes', async () => (await values(extra)).join() === 'x1,x2');

      // Changed over REST: the source now writes plain strings.
      const config = (await call('GET', '/connectors/lines-in/config')).body as Record<string, string>;
      const changed = await call('PUT', '/connectors/lines-in/config', {
        ...config,
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      });
      expect(changed).toMatchObject({ status: 200, body: { name: 'lines-in', type: 'source' } });
      expect((await call('GET', '/connectors/lines-in/config')).body).toMatchObject({
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      });
      await appendFile(join(root, 'in.txt'), 'b\n');
      await waitFor('"b" as a plain string', async () => (await values(lines)).includes('b'));

      // Deleted over REST: gone from the worker.
      expect(await call('DELETE', '/connectors/lines-out')).toEqual({ status: 204, body: undefined });
      expect((await call('GET', '/connectors/lines-out')).status).toBe(404);
      expect(((await call('GET', '/connectors')).body as string[]).sort()).toEqual(['extra-in', 'lines-in']);
      const bad = await call('PUT', '/connectors/lines-in/config', { ...config, 'batch.size': 'x' });
      expect(bad).toMatchObject({ status: 400, body: { error_code: 400 } });

      const drift = await planProject(desired);
      expect(
        drift.changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c.action, c.reason]),
      ).toEqual([
        ['source.extra-in', 'delete', 'created_outside_pipe'],
        ['source.lines-in', 'update', 'changed_outside_pipe'],
        ['sink.lines-out', 'create', 'deleted_outside_pipe'],
      ]);
      const text = renderHuman(drift, { colour: false, showUnmanaged: false });
      expect(text).toContain('changed outside pipe');
      expect(text).toContain('deleted outside pipe');
      expect(text).toContain('created outside pipe');

      // Apply sets the YAML back: the worker follows.
      await applyProject(desired, { autoApprove: true, wait: false });
      expect((await planProject(desired)).summary).toEqual({ add: 0, change: 0, destroy: 0 });
      await waitFor(
        'the worker runs what the YAML says',
        async () =>
          ((await call('GET', '/connectors')).body as string[]).sort().join() === 'lines-in,lines-out',
      );
      expect((await call('GET', '/connectors/lines-in/config')).body).toMatchObject({
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      });
    } finally {
      await served.stop();
    }
  }, 120_000);
});
