import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPipeError } from '../src/errors.js';
import { latestByKey, readTopicToEnd } from '../src/kafka/read-topic.js';
import { startServedWorker } from '../src/worker/http/served-worker.js';
import { createTopic, kafka, produce, produceN, uniqueName, waitFor } from './helpers/kafka.js';
import { applyConnector, connectorSpec, statusKey, statusOf, testProject } from './helpers/worker.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The value of one sample line of a Prometheus text answer, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("the worker's HTTP server", () => {
  it('serves status, readiness and record counters that equal the records on the topic', async () => {
    const project = await testProject();
    const topic = uniqueName('http-metrics');
    await createTopic(topic, 1);
    const file = join(project.dir, 'in', 'lines.txt');
    const name = uniqueName('file-source');
    await applyConnector(
      project,
      connectorSpec({ kind: 'source', name, connector: 'file', topic, config: { file } }),
    );
    await mkdir(join(project.dir, 'in'), { recursive: true });
    await writeFile(file, Array.from({ length: 25 }, (_, i) => `line-${i}\n`).join(''));
    const served = await startServedWorker({
      project,
      log: quiet,
      http: { listen: '127.0.0.1:0', setting: 'test' },
    });
    try {
      const base = `http://127.0.0.1:${served.http?.address.port}`;
      const get = async (path: string) => {
        const res = await fetch(`${base}${path}`);
        return { status: res.status, text: await res.text() };
      };
      expect((await get('/health')).status).toBe(200);
      await waitFor('the connector ready', async () => (await get('/ready')).status === 200);
      const status = await get(`/connectors/${name}/status`);
      expect(status.status).toBe(200);
      expect(JSON.parse(status.text)).toEqual({
        name,
        connector: { state: 'RUNNING', worker_id: served.worker.id, version: expect.any(String) },
        tasks: [{ id: 0, state: 'RUNNING', worker_id: served.worker.id, version: expect.any(String) }],
        type: 'source',
      });
      expect(await get('/connectors/no-such')).toEqual({
        status: 404,
        text: JSON.stringify({ error_code: 404, message: 'Connector no-such not found' }),
      });

      const put = await fetch(`${base}/connectors/${name}/config`, { method: 'PUT', body: '{"file": ' });
      expect([put.status, await put.json()]).toEqual([400, { error_code: 400, message: expect.any(String) }]);
      const post = await fetch(`${base}/connectors`, {
        method: 'POST',
        body: JSON.stringify({ name: 'x', config: {} }),
      });
      expect([post.status, await post.json()]).toEqual([
        409,
        { error_code: 409, message: expect.stringContaining('pipe apply') },
      ]);
      const config = JSON.parse((await get(`/connectors/${name}/config`)).text);
      expect(config).toMatchObject({
        name,
        topic,
        file,
        'connector.class': expect.stringContaining('FileStreamSource'),
      });
      await waitFor(
        '25 records on the topic',
        async () => (await readTopicToEnd(kafka(), topic)).length === 25,
      );
      const labels = `{connector="${name}",task="0"}`;
      const metrics = await waitFor('the write counter at 25', async () => {
        const text = (await get('/metrics')).text;
        return sample(text, `source_record_write_total${labels}`) === 25 ? text : undefined;
      });
      const onTopic = (await readTopicToEnd(kafka(), topic)).length;
      expect(sample(metrics, `source_record_write_total${labels}`)).toBe(onTopic);
      expect(sample(metrics, `source_record_poll_total${labels}`)).toBe(onTopic);
      expect(sample(metrics, `total_record_errors${labels}`)).toBe(0);
      expect(sample(metrics, `task_status{connector="${name}",task="0",status="running"}`)).toBe(1);

      // While the run goes on: more lines, scraped until the counters stop moving.
      await appendFile(file, Array.from({ length: 40 }, (_, i) => `more-${i}\n`).join(''));
      const later = await waitFor('the write counter at 65', async () => {
        const text = (await get('/metrics')).text;
        return sample(text, `source_record_write_total${labels}`) === 65 ? text : undefined;
      });
      expect((await readTopicToEnd(kafka(), topic)).length).toBe(65);
      expect(sample(later, `source_record_poll_total${labels}`)).toBe(65);
      expect(sample(later, `offset_commit_success_total${labels}`)).toBeGreaterThanOrEqual(1);
      expect(sample(later, `offset_commit_failure_total${labels}`)).toBe(0);
      expect(sample(later, `batch_size_max${labels}`)).toBeGreaterThanOrEqual(1);
      // pipe status reads the status topic the worker refreshes from the same counters: the numbers agree.
      const reported = await waitFor('the status topic at 65', async () => {
        const r = await statusOf(project, statusKey.task(name, 0));
        return r?.metrics?.recordsOut === 65 ? r.metrics : undefined;
      });
      expect(reported.recordsIn).toBe(sample(later, `source_record_poll_total${labels}`));
      expect(reported.recordsFailed).toBe(sample(later, `total_records_skipped${labels}`));
    } finally {
      await served.stop();
    }
  });

  it('is driven over REST: pause and resume through the configs topic, a failed task restarted, topics and offsets', async () => {
    const project = await testProject();
    const topic = uniqueName('http-ops');
    await createTopic(topic, 1);
    const blocker = join(project.dir, 'out');
    // A file where the sink's folder should be: the task fails until it is gone.
    await writeFile(blocker, 'not a folder');
    const name = uniqueName('file-sink');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topics: [topic],
        config: { file: join(blocker, 'sink.txt') },
        value: { type: 'string', schemas: false, decimalFormat: 'BASE64' },
      }),
    );
    await produceN(topic, 3, (i) => `v${i}`);
    const served = await startServedWorker({
      project,
      log: quiet,
      http: { listen: '127.0.0.1:0', setting: 'test' },
    });
    try {
      const base = `http://127.0.0.1:${served.http?.address.port}`;
      const call = async (method: string, path: string) => {
        const res = await fetch(`${base}${path}`, { method });
        const text = await res.text();
        return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      };
      const taskState = async () =>
        ((await call('GET', `/connectors/${name}/tasks/0/status`)).body as { state?: string }).state;
      await waitFor('the sink task FAILED', async () => (await taskState()) === 'FAILED');

      await rm(blocker);
      expect(await call('POST', `/connectors/${name}/tasks/0/restart`)).toEqual({
        status: 204,
        body: undefined,
      });
      await waitFor('the restarted task RUNNING', async () => (await taskState()) === 'RUNNING');
      const sinkFile = join(blocker, 'sink.txt');
      await waitFor(
        'the records in the sink file',
        async () => (await readFile(sinkFile, 'utf8').catch(() => '')) === 'v0\nv1\nv2\n',
      );

      expect(await call('PUT', `/connectors/${name}/pause`)).toEqual({ status: 202, body: undefined });
      await waitFor('the task PAUSED', async () => (await taskState()) === 'PAUSED');
      const configs = latestByKey(await readTopicToEnd(kafka(), `${project.state.topicPrefix}.configs`));
      expect(JSON.parse(configs.get(`target-state-${name}`)?.toString('utf8') ?? 'null')).toEqual({
        state: 'PAUSED',
        'state.v2': 'PAUSED',
      });
      expect((await call('GET', '/ready')).status).toBe(200);
      expect(await call('PUT', `/connectors/${name}/resume`)).toEqual({ status: 202, body: undefined });
      await waitFor('the task RUNNING again', async () => (await taskState()) === 'RUNNING');

      expect(await call('GET', `/connectors/${name}/topics`)).toEqual({
        status: 200,
        body: { [name]: { topics: [topic] } },
      });
      // The sink commits after it flushed: the records in the file come before the commit.
      const committed = {
        offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } }],
      };
      await waitFor(
        'the sink offsets committed',
        async () =>
          JSON.stringify((await call('GET', `/connectors/${name}/offsets`)).body) ===
          JSON.stringify(committed),
      );
      expect(await call('GET', `/connectors/${name}/offsets`)).toEqual({ status: 200, body: committed });
      const restarted = await call('POST', `/connectors/${name}/restart?includeTasks=true`);
      expect(restarted.status).toBe(202);
      expect(restarted.body).toMatchObject({ name, tasks: [{ id: 0, state: 'RESTARTING' }], type: 'sink' });
      await waitFor('the task RUNNING after the restart', async () => (await taskState()) === 'RUNNING');
      expect((await call('GET', '/')).body).toEqual({
        version: expect.any(String),
        commit: expect.any(String),
        kafka_cluster_id: expect.any(String),
      });
    } finally {
      await served.stop();
    }
  });

  it("remembers a connector's active topics across a worker restart, in the status topic as Connect keeps them", async () => {
    const project = await testProject();
    const topic = uniqueName('http-topics');
    await createTopic(topic, 1);
    const name = uniqueName('file-sink');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topics: [topic],
        config: { file: join(project.dir, 'sink.txt') },
        value: { type: 'string', schemas: false, decimalFormat: 'BASE64' },
      }),
    );
    await produceN(topic, 2, (i) => `v${i}`);
    const serve = () =>
      startServedWorker({ project, log: quiet, http: { listen: '127.0.0.1:0', setting: 'test' } });
    const topicsOf = async (served: Awaited<ReturnType<typeof serve>>) => {
      const res = await fetch(`http://127.0.0.1:${served.http?.address.port}/connectors/${name}/topics`);
      return res.json() as Promise<unknown>;
    };
    const first = await serve();
    try {
      await waitFor(
        'the topic recorded in the status topic',
        async () =>
          latestByKey(await readTopicToEnd(kafka(), `${project.state.topicPrefix}.status`)).get(
            `status-topic-${topic}:connector-${name}`,
          ) !== undefined,
      );
      expect(await topicsOf(first)).toEqual({ [name]: { topics: [topic] } });
    } finally {
      await first.stop();
    }
    const status = latestByKey(await readTopicToEnd(kafka(), `${project.state.topicPrefix}.status`));
    expect(
      JSON.parse(status.get(`status-topic-${topic}:connector-${name}`)?.toString('utf8') ?? 'null'),
    ).toEqual({
      topic: { name: topic, connector: name, task: 0, discoverTimestamp: expect.any(Number) },
    });

    // Nothing new to read after the restart: the topic can only come from the status topic.
    const second = await serve();
    try {
      expect(await topicsOf(second)).toEqual({ [name]: { topics: [topic] } });
      expect(second.worker.herder.tasks().flatMap((t) => [...t.runner.counters.topics])).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('counts a skipped record and its dead letter the way Connect names them', async () => {
    const project = await testProject();
    const topic = uniqueName('http-dlq');
    const dlq = uniqueName('http-dlq-letters');
    await createTopic(topic, 1);
    await createTopic(dlq, 1);
    const name = uniqueName('file-sink');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name,
        connector: 'file',
        topics: [topic],
        config: { file: join(project.dir, 'sink.txt') },
        errors: { tolerance: 'all', retries: 0, deadLetterTopic: dlq },
      }),
    );
    const good = (v: string) => JSON.stringify({ schema: { type: 'string', optional: false }, payload: v });
    await produce(topic, [{ value: good('a') }, { value: 'not json' }, { value: good('b') }]);
    const served = await startServedWorker({
      project,
      log: quiet,
      http: { listen: '127.0.0.1:0', setting: 'test' },
    });
    try {
      const labels = `{connector="${name}",task="0"}`;
      // The send counter moves once the batch was flushed and its dead letters written; the commit follows.
      const text = await waitFor('two records sent and their offsets committed', async () => {
        const t = await (await fetch(`http://127.0.0.1:${served.http?.address.port}/metrics`)).text();
        const committed = (sample(t, `offset_commit_success_total${labels}`) ?? 0) >= 1;
        return sample(t, `sink_record_send_total${labels}`) === 2 && committed ? t : undefined;
      });
      const letters = await readTopicToEnd(kafka(), dlq);
      expect(letters.map((l) => l.value?.toString('utf8'))).toEqual(['not json']);
      expect(sample(text, `sink_record_read_total${labels}`)).toBe(3);
      expect(sample(text, `total_record_errors${labels}`)).toBe(1);
      expect(sample(text, `total_records_skipped${labels}`)).toBe(1);
      expect(sample(text, `deadletterqueue_produce_requests${labels}`)).toBe(1);
      expect(sample(text, `deadletterqueue_produce_failures${labels}`)).toBe(0);
      expect(sample(text, `offset_commit_failure_total${labels}`)).toBe(0);
    } finally {
      await served.stop();
    }
  });

  it('serves HTTPS with basic authentication on every route but /health', async () => {
    const project = await testProject();
    const tlsDir = await mkdtemp(join(tmpdir(), 'pipe-http-tls-'));
    const [keyFile, certFile] = [join(tlsDir, 'key.pem'), join(tlsDir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=pipe-test',
      ],
      { stdio: 'ignore', input: '' },
    );
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    const served = await startServedWorker({
      project,
      log: quiet,
      http: {
        listen: '127.0.0.1:0',
        setting: 'test',
        tls: { cert, key },
        basicAuth: { username: 'ops', password: 'letmein' },
      },
    });
    const port = served.http?.address.port ?? 0;
    const get = (path: string, auth?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            ca: cert,
            // The throw-away certificate names no host: the test checks it is this one, by its CA.
            checkServerIdentity: () => undefined,
            headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {},
          },
          (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect((await get('/health')).status).toBe(200);
      const refused = await get('/connectors');
      expect([refused.status, JSON.parse(refused.body)]).toEqual([
        401,
        { error_code: 401, message: 'authentication required' },
      ]);
      expect((await get('/metrics', 'ops:wrong')).status).toBe(401);
      expect(await get('/connectors', 'ops:letmein')).toEqual({ status: 200, body: '[]' });
      const plain = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(plain).not.toBe(200);
    } finally {
      await served.stop();
    }
  });

  it('answers /ready 503 "standby" on a standby worker, forwards its connector routes to the active one, and is ready once it took over', async () => {
    const project = await testProject({ httpAllowWrites: true });
    const topic = uniqueName('http-standby');
    await createTopic(topic, 1);
    const name = uniqueName('file-source');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'source',
        name,
        connector: 'file',
        topic,
        config: { file: join(project.dir, 'in.txt') },
      }),
    );
    const http = { listen: '127.0.0.1:0', setting: 'test' };
    const first = await startServedWorker({ project, log: quiet, http, workerId: 'first' });
    let second: Awaited<ReturnType<typeof startServedWorker>> | undefined;
    try {
      second = await startServedWorker({ project, log: quiet, http, workerId: 'second' });
      const standby = second;
      const ask = async (w: typeof first, path: string, method = 'GET') => {
        const res = await fetch(`http://127.0.0.1:${w.http?.address.port}${path}`, { method });
        const text = await res.text();
        return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      };
      await waitFor('the first worker ready', async () => (await ask(first, '/ready')).status === 200);
      expect(standby.worker.role).toBe('standby');
      expect((await ask(standby, '/health')).status).toBe(200);
      expect(await ask(standby, '/ready')).toEqual({
        status: 503,
        body: { status: 'standby', connectors: [] },
      });
      // As a Connect worker that is not the leader: the request goes to the active worker, the answer is its.
      await waitFor(
        'the active worker advertised',
        async () => (await ask(standby, '/connectors')).status === 200,
      );
      expect((await ask(standby, '/connectors')).body).toEqual([name]);
      expect(await ask(standby, `/connectors/${name}/status`)).toEqual(
        await ask(first, `/connectors/${name}/status`),
      );
      expect((await ask(standby, `/connectors/${name}/status`)).body).toMatchObject({
        connector: { worker_id: 'first' },
      });
      expect(await ask(standby, `/connectors/${name}/pause`, 'PUT')).toEqual({
        status: 202,
        body: undefined,
      });
      await waitFor(
        'the active worker paused by way of the standby',
        async () =>
          ((await ask(first, `/connectors/${name}/status`)).body as { tasks: Array<{ state: string }> })
            .tasks[0]?.state === 'PAUSED',
      );
      expect(await ask(standby, `/connectors/${name}/tasks/0/restart`, 'POST')).toEqual({
        status: 204,
        body: undefined,
      });
      expect((await ask(standby, '/connectors/no-such/status')).status).toBe(404);
      // A config write too, as Connect forwards one to its leader.
      const config = (await ask(first, `/connectors/${name}/config`)).body as Record<string, string>;
      const put = await fetch(`http://127.0.0.1:${standby.http?.address.port}/connectors/${name}/config`, {
        method: 'PUT',
        body: JSON.stringify({ ...config, 'batch.size': '7' }),
      });
      expect(put.status).toBe(200);
      expect((await ask(first, `/connectors/${name}/config`)).body).toMatchObject({ 'batch.size': '7' });

      await first.stop();
      // The active worker is gone and none took over yet: Connect's 409 for a leader not known.
      const between = await ask(standby, '/connectors');
      if (between.status !== 200)
        expect(between).toEqual({
          status: 409,
          body: { error_code: 409, message: expect.stringContaining('no known leader URL') },
        });
      await waitFor('the second worker ready', async () => (await ask(standby, '/ready')).status === 200, {
        timeoutMs: 60_000,
      });
      expect((await ask(standby, '/connectors')).body).toEqual([name]);
    } finally {
      await first.stop();
      await second?.stop();
    }
  });

  it('refuses to start on a port in use, naming the port and the setting, before contacting Kafka', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    const project = await testProject();
    try {
      const started = startServedWorker({
        project: { ...project, kafka: { ...project.kafka, brokers: ['127.0.0.1:1'] } },
        log: quiet,
        http: { listen: `127.0.0.1:${port}`, setting: 'worker.http.listen in pipeline.config.yaml' },
      });
      const err = await started.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isPipeError(err) && err.code).toBe('WORKER');
      expect(String((err as Error).message)).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(String((err as Error).message)).toContain('worker.http.listen in pipeline.config.yaml');
    } finally {
      holder.close();
    }
  });
});
