/**
 * The PostgreSQL connectors against a server that checks passwords: the
 * machine's shared server trusts every local connection, so the test starts
 * its own and requires scram-sha-256 for one role. A wrong password fails
 * the task with the server's reason, naming connector and server; the
 * password itself appears nowhere (task trace, worker log, status topic).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopicToEnd } from '../src/kafka/read-topic.js';
import { stateTopicNames } from '../src/state/records.js';
import { createTopic, kafka, uniqueName, waitFor } from './helpers/kafka.js';
import { type PrivatePostgres, startPrivatePostgres } from './helpers/private-postgres.js';
import {
  applyConnector,
  connectorSpec,
  startWorker,
  type TestWorker,
  testProject,
} from './helpers/worker.js';

const ROLE = 'pipe_writer';
const PASSWORD = 'right-horse-battery-staple';
const WRONG = 'hunter2-wrong-secret';

let pgServer: PrivatePostgres;
let w: TestWorker | undefined;

beforeAll(async () => {
  pgServer = await startPrivatePostgres();
  await pgServer.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
  await pgServer.query(`CREATE TABLE public.accounts (id int PRIMARY KEY, owner text NOT NULL)`);
  await pgServer.query(`GRANT ALL ON public.accounts TO ${ROLE}`);
  // The sink creates its table (auto.create); PostgreSQL 15 no longer lets every role create in public.
  await pgServer.query(`GRANT CREATE ON SCHEMA public TO ${ROLE}`);
  await pgServer.query(`INSERT INTO public.accounts VALUES (1, 'ada'), (2, 'grace')`);
  // pg_hba.conf is read top down: this line, before initdb's `trust` lines, makes the role prove its password.
  const hba = join(pgServer.dataDir, 'data', 'pg_hba.conf');
  await writeFile(hba, `host all ${ROLE} 127.0.0.1/32 scram-sha-256\n${await readFile(hba, 'utf8')}`);
  await pgServer.query('SELECT pg_reload_conf()');
}, 180_000);

afterAll(async () => {
  await w?.stop();
  await pgServer?.stop();
});

function connection(password: string) {
  return { host: pgServer.host, port: pgServer.port, database: pgServer.database, user: ROLE, password };
}

describe('postgres connectors and a wrong password', () => {
  it('fail the task with the server’s reason, never showing the password; the right one works', async () => {
    const project = await testProject();
    const source = uniqueName('pg-auth-source');
    const sink = uniqueName('pg-auth-sink');
    const topic = uniqueName('pg-auth');
    await createTopic(topic, 1);
    const policy = { errors: { tolerance: 'none' as const, retries: 1 } };
    const applyWith = async (password: string) => {
      await applyConnector(
        project,
        connectorSpec({
          kind: 'source',
          name: source,
          connector: 'postgres',
          topic,
          config: { connection: connection(password), tables: ['public.accounts'], mode: 'bulk' },
          ...policy,
        }),
      );
      await applyConnector(
        project,
        connectorSpec({
          kind: 'sink',
          name: sink,
          connector: 'postgres',
          topics: [topic],
          config: { connection: connection(password), table: 'public.copy', 'auto.create': true },
          ...policy,
        }),
      );
    };
    await applyWith(WRONG);
    w = await startWorker(project);
    const server = `${ROLE}@127.0.0.1:${pgServer.port}/${pgServer.database}`;
    for (const name of [source, sink]) {
      const failed = await w.taskState(name, 0, 'FAILED');
      expect(failed.trace).toContain(`connector ${name}: cannot connect to PostgreSQL at ${server}`);
      expect(failed.trace).toContain(`password authentication failed for user "${ROLE}"`);
    }
    const status = await readTopicToEnd(kafka(), stateTopicNames(project.state.topicPrefix).status);
    const everything = JSON.stringify([
      w.events,
      w.logs,
      status.map((r) => r.value?.toString('utf8')),
      await readFile(join(pgServer.dataDir, 'server.log'), 'utf8'),
    ]);
    expect(everything).toContain('password authentication failed');
    expect(everything).not.toContain(WRONG);

    // The same connectors with the right password: the table arrives at the other end.
    await applyWith(PASSWORD);
    await waitFor(
      'the rows copied with the right password',
      async () =>
        (
          await pgServer.query('SELECT count(DISTINCT id) AS n FROM public.copy').catch(() => [{ n: 0 }])
        )[0]?.['n'] === '2',
      { timeoutMs: 90_000 },
    );
    expect(JSON.stringify([w.events, w.logs])).not.toContain(PASSWORD);
  }, 240_000);
});
