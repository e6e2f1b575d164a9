/**
 * `pipe dev fetch` and `pipe dev kafka` as a new user meets them: progress
 * while the jars download (plain lines without a terminal), one sentence when
 * the download cannot work, nothing half-filled left in the cache, and the
 * data folder of a run killed with SIGKILL removed at the next start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBroker } from '../src/kafka/local/broker.js';
import { waitFor } from './helpers/kafka.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function pipe(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['node_modules/vite-node/vite-node.mjs', 'src/cli/main.ts', '--', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const { child, output } = pipe(args, env);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output: output() };
}

describe('pipe dev fetch', () => {
  it('says in one sentence that a version is not a release, and leaves the cache as it was', async () => {
    const cache = await tempDir('pipe-cache-');
    const result = await run(['dev', 'fetch', '--kafka-version', '0.0.1-none'], { PIPE_CACHE_DIR: cache });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'error[KAFKA_DOWNLOAD]: could not fetch Apache Kafka 0.0.1-none (broker): 0.0.1-none is not an Apache Kafka release on Maven Central\n',
    );
    expect(result.output).not.toContain('[ERROR]');
    expect(readdirSync(cache)).toEqual([]);
  });

  it('refuses a plugin it does not know before downloading anything', async () => {
    const cache = await tempDir('pipe-cache-');
    const result = await run(
      ['dev', 'fetch', '--connect', '--plugin', 'debezium-postgres', '--plugin', 'debezium'],
      {
        PIPE_CACHE_DIR: cache,
      },
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'error[USAGE]: "debezium" is neither a known Kafka Connect plugin nor a Maven coordinate group:artifact:version\n',
    );
    expect(result.output).toContain('known plugins: debezium-postgres, basic-auth');
    expect(result.output).not.toContain('fetching');
    expect(readdirSync(cache)).toEqual([]);
  });

  it('says so when mvn is not installed', async () => {
    const cache = await tempDir('pipe-cache-');
    const result = await run(['dev', 'fetch'], { PIPE_CACHE_DIR: cache, PATH: '/nonexistent' });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'could not fetch Apache Kafka 4.2.0 (broker): mvn (Apache Maven) is not installed or not on PATH\n',
    );
    expect(readdirSync(cache)).toEqual([]);
  });

  it('says so when Maven Central cannot be reached', async () => {
    const cache = await tempDir('pipe-cache-');
    // A Maven home of its own: an empty local repository and a mirror on a closed port.
    const home = await tempDir('pipe-m2-');
    await mkdir(join(home, '.m2'));
    await writeFile(
      join(home, '.m2', 'settings.xml'),
      '<settings><mirrors><mirror><id>closed</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:9/maven2</url></mirror></mirrors></settings>\n',
    );
    const result = await run(['dev', 'fetch'], { PIPE_CACHE_DIR: cache, MAVEN_OPTS: `-Duser.home=${home}` });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'could not fetch Apache Kafka 4.2.0 (broker): Maven Central could not be reached\n',
    );
    expect(readdirSync(cache)).toEqual([]);
  });
});

describe('pipe dev kafka', () => {
  it('shows the download as plain lines, and its data folder is removed at the next start after a SIGKILL', async () => {
    const cache = await tempDir('pipe-cache-');
    const first = pipe(['dev', 'kafka'], { PIPE_CACHE_DIR: cache });
    let dataDir = '';
    try {
      await waitFor('the first broker to be ready', () => /^ready /m.test(first.output()), {
        timeoutMs: 120_000,
      });
      expect(first.output()).toMatch(
        /^fetching Apache Kafka 4\.2\.0 \(broker\) from Maven Central with mvn, once: it is cached\n(?: {2}downloaded \S+\.jar.*\n)*fetched \d+ jars in \d+ s into .*kafka-4\.2\.0\/broker\n/m,
      );
      expect(first.output()).not.toContain('\r');
      dataDir = /^data in (\S+) \(removed at exit\)$/m.exec(first.output())?.[1] ?? '';
      expect(dataDir).toContain(`pipe-kafka-${first.child.pid}-`);
    } finally {
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
    }
    expect(existsSync(dataDir)).toBe(true);

    const second = await startBroker();
    try {
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await second.stop();
    }
    // Copying Kafka's jars into a new cache, then two broker starts.
  }, 240_000);
});
