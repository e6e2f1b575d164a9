/**
 * Fetches Apache Kafka's jars from Maven Central with `mvn` and keeps them in a
 * cache, so the local broker, Kafka Connect and Kafka's tools run from the same
 * artifacts users deploy. A generated pom plus `dependency:copy-dependencies`
 * lets Maven resolve the transitive set for each version.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PipeError } from '../../errors.js';

/** The newest release the whole test suite passes on; see README ("Kafka version"). */
export const NEWEST_QUALIFIED_KAFKA = '4.2.0';

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

function pom(version: string, profile: JarProfile): string {
  const deps = artifacts(version, profile)
    .map(
      ([g, a, v]) =>
        `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`,
    )
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.pipe.local</groupId>
  <artifactId>kafka-${profile}</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', (err) => resolve({ code: -1, output: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export interface JarSet {
  version: string;
  dir: string;
  classpath: string;
}

/**
 * The jars of one Kafka version and profile, downloading them on first use.
 * Downloads go to a private folder renamed into place at the end, so two
 * launchers starting at once never see a half-filled cache.
 */
export async function resolveJars(version: string, profile: JarProfile): Promise<JarSet> {
  const dir = join(cacheRoot(), `kafka-${version}`, profile);
  if (!existsSync(join(dir, '.complete'))) {
    const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
    await mkdir(work, { recursive: true });
    try {
      await writeFile(join(work, 'pom.xml'), pom(version, profile));
      const result = await run(
        'mvn',
        ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'],
        work,
      );
      if (result.code !== 0) {
        throw new PipeError(
          'KAFKA_DOWNLOAD',
          `could not fetch Apache Kafka ${version} (${profile}) from Maven Central with mvn:\n${result.output.trim().split('\n').slice(-15).join('\n')}`,
          {
            meta: {
              hint: 'check that mvn is installed and Maven Central is reachable',
              remedies: ['other_kafka_version'],
            },
          },
        );
      }
      await writeFile(join(work, '.complete'), new Date().toISOString());
      await mkdir(join(dir, '..'), { recursive: true });
      try {
        await rename(work, dir);
      } catch (err) {
        // another launcher finished first; its copy is as good as ours
        if (!existsSync(join(dir, '.complete'))) throw err;
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const jars = (await readdir(join(dir, 'lib'))).filter((f) => f.endsWith('.jar')).sort();
  return { version, dir, classpath: jars.map((j) => join(dir, 'lib', j)).join(':') };
}
