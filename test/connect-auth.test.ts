/**
 * A Kafka Connect runtime with `auth: { basic: ... }` against a worker whose
 * REST API requires basic authentication (Kafka's
 * BasicAuthSecurityRestExtension with a JAAS file): a wrong password is a
 * clear error naming the runtime, the URL and the 401, with no password in
 * it or in what pipe prints; the right one applies, plans empty and destroys.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProject } from '../src/apply/index.js';
import { loadDesiredState } from '../src/config/load.js';
import { PipeError } from '../src/errors.js';
import { planProject } from '../src/plan/index.js';
import { hasChanges } from '../src/plan/model.js';
import { startTestCluster, type TestCluster } from './helpers/connect-cluster.js';
import { brokers, uniqueName } from './helpers/kafka.js';
import { spawnPipe } from './helpers/pipe-process.js';

const USER = 'pipe-operator';
const PASSWORD = `right-${uniqueName('pw')}`;
const WRONG = `wrong-${uniqueName('pw')}`;
const USER_ENV = 'PIPE_TEST_CONNECT_USER';
const PASSWORD_ENV = 'PIPE_TEST_CONNECT_PASSWORD';

let cluster: TestCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipe-connect-auth-'));
  cluster = await startTestCluster({ workers: 1, basicAuth: { username: USER, password: PASSWORD } });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
  delete process.env[USER_ENV];
  delete process.env[PASSWORD_ENV];
});

async function project(): Promise<{ root: string; source: string; sink: string; topic: string }> {
  const name = uniqueName('auth');
  const root = join(dir, name);
  const p = { root, source: `${name}-src`, sink: `${name}-sink`, topic: `${name}-lines` };
  await mkdir(join(root, 'pipelines'), { recursive: true });
  await writeFile(join(root, 'in.txt'), '');
  await writeFile(
    join(root, 'pipeline.config.yaml'),
    `project: ${name}
kafka: { brokers: ["${brokers()}"] }
runtimes:
  secured:
    type: connect
    urls: ["${cluster.urls[0]}"]
    auth: { basic: { username: "\${env:${USER_ENV}}", password: "\${env:${PASSWORD_ENV}}" } }
    providers: { env: env, file: file, dir: dir }
    deadlineMs: 60000
runtime: secured
`,
  );
  await writeFile(
    join(root, 'pipelines', 'lines.yaml'),
    `topics:
  ${p.topic}: {}
sources:
  ${p.source}:
    connector: file
    topic: ${p.topic}
    value: { converter: string }
    config: { file: ${join(root, 'in.txt')} }
sinks:
  ${p.sink}:
    connector: file
    topics: [${p.topic}]
    value: { converter: string }
    config: { file: ${join(root, 'out.txt')} }
`,
  );
  return p;
}

describe('a Kafka Connect runtime behind basic authentication', () => {
  it('refuses a wrong password with the runtime, the URL and the 401, and never shows a password', async () => {
    const p = await project();
    process.env[USER_ENV] = USER;
    process.env[PASSWORD_ENV] = WRONG;
    const err = await planProject((await loadDesiredState(p.root)).desired).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PipeError);
    const refused = err as PipeError;
    expect(refused.code).toBe('RUNTIME_AUTH');
    expect(refused.message).toContain('runtime "secured"');
    expect(refused.message).toContain(cluster.urls[0]);
    expect(refused.message).toContain('401 Unauthorized');
    expect(String(refused.meta.hint)).toContain('runtimes.secured.auth.basic');
    const reported = `${refused.message}\n${JSON.stringify(refused.meta)}\n${refused.stack ?? ''}`;
    expect(reported).not.toContain(WRONG);
    expect(reported).not.toContain(PASSWORD);

    // What a user sees: pipe plan exits non-zero with the same error, and prints no password.
    const cli = spawnPipe(['-C', p.root, 'plan'], {
      ...process.env,
      [USER_ENV]: USER,
      [PASSWORD_ENV]: WRONG,
    });
    const code = await cli.exited;
    expect(code).not.toBe(0);
    expect(cli.output()).toContain('RUNTIME_AUTH');
    expect(cli.output()).toContain(`runtime "secured" at ${cluster.urls[0]}`);
    expect(cli.output()).toContain('401 Unauthorized');
    expect(cli.output()).not.toContain(WRONG);
    expect(cli.output()).not.toContain(PASSWORD);
  }, 120_000);

  it('applies, plans empty and destroys with the right password', async () => {
    const p = await project();
    process.env[USER_ENV] = USER;
    process.env[PASSWORD_ENV] = PASSWORD;
    const load = async () => (await loadDesiredState(p.root)).desired;
    const applied = await applyProject(await load(), { autoApprove: true, waitTimeoutMs: 60_000 });
    expect(applied.wait).toEqual({ kind: 'running', connectors: [p.source, p.sink] });
    expect(hasChanges(await planProject(await load()))).toBe(false);
    const destroyed = await applyProject(await load(), {
      autoApprove: true,
      waitTimeoutMs: 60_000,
      destroy: true,
      allowDelete: true,
    });
    expect(destroyed.plan.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual([
      `delete sink.${p.sink}`,
      `delete source.${p.source}`,
      `delete topic.${p.topic}`,
    ]);
    // Unauthenticated, the worker refuses; with the password, it lists no connector of the project.
    expect((await fetch(`${cluster.urls[0]}/connectors`)).status).toBe(401);
    const left = await fetch(`${cluster.urls[0]}/connectors`, {
      headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` },
    });
    expect(((await left.json()) as string[]).filter((n) => n.startsWith(p.source.slice(0, -4)))).toEqual([]);
  }, 180_000);
});
