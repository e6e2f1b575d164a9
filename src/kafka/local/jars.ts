/**
 * Fetches Apache Kafka's jars from Maven Central with `mvn` and keeps them in a
 * cache, so the local broker, Kafka Connect and Kafka's tools run from the same
 * artifacts users deploy. A generated pom plus `dependency:copy-dependencies`
 * lets Maven resolve the transitive set for each version.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PipeError, type Remedy } from '../../errors.js';
import { ownedTempFolder, removeAbandonedFolders } from './owned-folders.js';

/** The newest release the whole test suite passes on; see README ("Kafka version"). */
const NEWEST_QUALIFIED_KAFKA = '4.2.0';

/**
 * The release the broker, Kafka Connect and Kafka's tools run from:
 * PIPE_KAFKA_VERSION when set, so one setting qualifies a release end to end.
 */
export function defaultKafkaVersion(): string {
  return process.env['PIPE_KAFKA_VERSION'] || NEWEST_QUALIFIED_KAFKA;
}

/**
 * What to fetch. `broker` runs a KRaft broker; `connect` adds Kafka Connect and
 * Kafka's tools (ProducerPerformance) for compatibility tests and benchmarks.
 */
export type JarProfile = 'broker' | 'connect';

export function cacheRoot(): string {
  return process.env['PIPE_CACHE_DIR'] ?? join(homedir(), '.cache', 'pipe');
}

function isKafka3(version: string): boolean {
  return version.startsWith('3.');
}

function artifacts(version: string, profile: JarProfile): Array<[string, string, string]> {
  const kafka: Array<[string, string, string]> = [['org.apache.kafka', 'kafka_2.13', version]];
  // Kafka 3 logs through reload4j, Kafka 4 through log4j2; each needs its SLF4J binding to write a log at all.
  const logging: Array<[string, string, string]> = isKafka3(version)
    ? [['org.slf4j', 'slf4j-reload4j', '1.7.36']]
    : [
        ['org.slf4j', 'slf4j-api', '2.0.16'],
        ['org.apache.logging.log4j', 'log4j-slf4j2-impl', '2.24.3'],
      ];
  const connect: Array<[string, string, string]> =
    profile === 'connect'
      ? [
          ['org.apache.kafka', 'kafka-tools', version],
          ['org.apache.kafka', 'connect-runtime', version],
          ['org.apache.kafka', 'connect-file', version],
          ['org.apache.kafka', 'connect-json', version],
        ]
      : [];
  return [...kafka, ...connect, ...logging];
}

/** A pom whose only job is to make Maven resolve `deps` with their transitive dependencies. */
export function resolvingPom(
  artifactId: string,
  version: string,
  deps: Array<[string, string, string]>,
): string {
  const lines = deps
    .map(
      ([g, a, v]) =>
        `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`,
    )
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.pipe.local</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
${lines}
  </dependencies>
</project>
`;
}

export interface MavenRun {
  /** -1 when mvn could not be started at all. */
  code: number;
  output: string;
  /** Why mvn could not be started (ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
}

export function runMaven(args: string[], cwd: string, onLine: (line: string) => void): Promise<MavenRun> {
  return new Promise((resolve) => {
    const child = spawn('mvn', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const take = (d: Buffer) => {
      output += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ code: -1, output: String(err), spawnError: err }),
    );
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** What `resolveJars` reports while it downloads; nothing when the jars are cached. */
export type FetchEvent =
  | { kind: 'start'; what: string }
  | { kind: 'artifact'; file: string; size?: string }
  | { kind: 'done'; jars: number; ms: number; dir: string };

/** `Downloaded from central: <url>/kafka_2.13-4.2.0.jar (6.6 MB at 3.3 MB/s)` → the jar and its size. */
export function downloadedArtifact(line: string): { file: string; size?: string } | undefined {
  const m =
    /^(?:\[INFO\] )?Downloaded from [^:]+: \S*\/([^/\s]+\.jar)(?: \(([^)]*?)(?: at [^)]*)?\))?\s*$/.exec(
      line,
    );
  const [, file, size] = m ?? [];
  if (file === undefined) return undefined;
  return size ? { file, size } : { file };
}

/** One sentence for why mvn failed, from its output: the cases a user can act on, else Maven's own first error. */
export function mavenFailure(
  run: MavenRun,
  version: string,
): { reason: string; hint: string; remedies: Remedy[] } {
  if (run.spawnError?.code === 'ENOENT') {
    return {
      reason: 'mvn (Apache Maven) is not installed or not on PATH',
      hint: 'install Maven, which fetches the jars once into the cache (PIPE_CACHE_DIR moves it)',
      remedies: [],
    };
  }
  // Maven words it one way on the first try and another once the miss is cached in ~/.m2.
  if (
    /Could not find artifact org\.apache\.kafka:|org\.apache\.kafka:\S+ was not found in/.test(run.output)
  ) {
    return {
      reason: `${version} is not an Apache Kafka release on Maven Central`,
      hint: `the newest release pipe is qualified on is ${NEWEST_QUALIFIED_KAFKA}`,
      remedies: ['other_kafka_version'],
    };
  }
  if (
    /Could not transfer|transfer failed|UnknownHost|Connection refused|Network is unreachable|No route to host|timed out/i.test(
      run.output,
    )
  ) {
    return {
      reason: 'Maven Central could not be reached',
      hint: 'check the network; behind a proxy or mirror, set it in ~/.m2/settings.xml',
      remedies: [],
    };
  }
  const error = run.output.split('\n').find((l) => l.startsWith('[ERROR] ') && l.trim() !== '[ERROR]');
  return {
    reason: `mvn failed: ${(error ?? run.output.trim().split('\n').at(-1) ?? `exit ${run.code}`).replace(/^\[ERROR\] /, '')}`,
    hint: 'mvn could not fetch the jars',
    remedies: ['other_kafka_version'],
  };
}

export interface JarSet {
  version: string;
  dir: string;
  classpath: string;
}

export interface ResolveOptions {
  /** Told what is fetched while a download runs. */
  onFetch?: (event: FetchEvent) => void;
}

/**
 * The jars of one Kafka version and profile, downloading them on first use.
 * Downloads go to a private folder (`<profile>.tmp-<pid>-<time>`) renamed into
 * place at the end, so two launchers starting at once never see a half-filled
 * cache; a folder left by a fetch killed midway is removed at the next one.
 */
export async function resolveJars(
  version: string,
  profile: JarProfile,
  options: ResolveOptions = {},
): Promise<JarSet> {
  const dir = join(cacheRoot(), `kafka-${version}`, profile);
  if (!existsSync(join(dir, '.complete'))) {
    await fetchIntoCache({
      dir,
      what: `Apache Kafka ${version} (${profile})`,
      pom: resolvingPom(`kafka-${profile}`, version, artifacts(version, profile)),
      failure: (run) => mavenFailure(run, version),
      onFetch: options.onFetch ?? (() => {}),
    });
  }
  const jars = (await readdir(join(dir, 'lib'))).filter((f) => f.endsWith('.jar')).sort();
  return { version, dir, classpath: jars.map((j) => join(dir, 'lib', j)).join(':') };
}

export interface CacheFetch {
  /** The cache folder to fill: `lib/` with the jars and a `.complete` marker. */
  dir: string;
  /** What is fetched, for progress and errors: `Apache Kafka 4.2.0 (broker)`. */
  what: string;
  pom: string;
  /** Artifacts not to copy (the worker already has them). */
  excludeArtifactIds?: string[];
  failure: (run: MavenRun) => { reason: string; hint: string; remedies: Remedy[] };
  onFetch: (event: FetchEvent) => void;
}

/** Runs mvn on `pom` in a private folder and renames the result into `dir` once complete. */
export async function fetchIntoCache(spec: CacheFetch): Promise<void> {
  const { dir, onFetch } = spec;
  const started = Date.now();
  const base = basename(dir);
  await removeAbandonedFolders(dirname(dir), `${base}.tmp`);
  await mkdir(dirname(dir), { recursive: true });
  const work = await ownedTempFolder(dirname(dir), `${base}.tmp`);
  onFetch({ kind: 'start', what: spec.what });
  try {
    await writeFile(join(work, 'pom.xml'), spec.pom);
    const excludes = spec.excludeArtifactIds?.length
      ? [`-DexcludeArtifactIds=${spec.excludeArtifactIds.join(',')}`]
      : [];
    const result = await runMaven(
      ['-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime', ...excludes],
      work,
      (line) => {
        const artifact = downloadedArtifact(line);
        if (artifact) onFetch({ kind: 'artifact', ...artifact });
      },
    );
    if (result.code !== 0) {
      const { reason, hint, remedies } = spec.failure(result);
      // Outside the cache: a failed fetch leaves nothing there.
      const log = join(tmpdir(), `pipe-mvn-${spec.what.replace(/[^A-Za-z0-9.]+/g, '-')}.log`);
      await writeFile(log, result.output).catch(() => undefined);
      throw new PipeError('KAFKA_DOWNLOAD', `could not fetch ${spec.what}: ${reason}`, {
        meta: { hint: `${hint}; mvn's output: ${log}`, mavenLog: log, remedies },
      });
    }
    await writeFile(join(work, '.complete'), new Date().toISOString());
    try {
      await rename(work, dir);
    } catch (err) {
      // another launcher finished first; its copy is as good as ours
      if (!existsSync(join(dir, '.complete'))) throw err;
    }
    const jars = (await readdir(join(dir, 'lib'))).filter((f) => f.endsWith('.jar')).length;
    onFetch({ kind: 'done', jars, ms: Date.now() - started, dir });
  } finally {
    await rm(work, { recursive: true, force: true });
    // The parent folder, when this fetch made it and nothing else is in it.
    await rmdir(dirname(dir)).catch(() => undefined);
  }
}
