/**
 * A PostgreSQL server of the test's own, for change data capture: logical
 * decoding needs `wal_level=logical`, which the machine's shared server on
 * 5432 does not have (and must not be restarted for). Started from the
 * machine's PostgreSQL binaries as the `postgres` OS user (PostgreSQL refuses
 * to run as root), in a temporary data folder, on a free port, with trust
 * authentication; `stop()` stops it and removes the folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../src/kafka/ports.js';

const run = promisify(execFile);

export interface PrivatePostgres {
  host: string;
  port: number;
  user: string;
  database: string;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  dataDir: string;
  query(sql: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL installed under /usr/lib/postgresql. */
async function binDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? await readdir(root) : [];
  const newest = versions
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(`no PostgreSQL server binaries (initdb) under ${root}`);
  return join(root, newest, 'bin');
}

/** Runs a PostgreSQL binary as the postgres OS user (directly when the tests already run as that user). */
async function asPostgres(command: string, args: string[]): Promise<string> {
  const asRoot = userInfo().uid === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const { stdout } = await run(file, argv, { timeout: 120_000 });
  return stdout;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dataDir = await mkdtemp(join(tmpdir(), 'pipe-pg-'));
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dataDir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  const logFile = join(dataDir, 'server.log');
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    await asPostgres(join(bin, 'initdb'), [
      '-D',
      join(dataDir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    // -w waits until the server accepts connections.
    await asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      join(dataDir, 'data'),
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dataDir} -c wal_level=logical -c max_wal_senders=4 -c max_replication_slots=4 -c fsync=off`,
      'start',
    ]);
  } catch (err) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await removeDir();
    throw new Error(`could not start a private PostgreSQL: ${String(err)}\n${log}`);
  }
  // pg_ctl leaves the server running on its own: a test process that exits without
  // its afterAll (an error in a hook, a timeout) still stops it. Nothing helps a SIGKILL.
  const stopAtExit = () => {
    try {
      const ctl = join(bin, 'pg_ctl');
      const args = ['-D', join(dataDir, 'data'), '-m', 'immediate', 'stop'];
      if (userInfo().uid === 0)
        execFileSync('runuser', ['-u', 'postgres', '--', ctl, ...args], { stdio: 'ignore' });
      else execFileSync(ctl, args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', stopAtExit);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    url,
    dataDir,
    query: async (sql, values) => (await client.query(sql, values)).rows,
    stop: async () => {
      process.off('exit', stopAtExit);
      await client.end().catch(() => undefined);
      await asPostgres(join(bin, 'pg_ctl'), ['-D', join(dataDir, 'data'), '-m', 'fast', '-w', 'stop']);
      await removeDir();
    },
  };
}
