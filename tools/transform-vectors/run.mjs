#!/usr/bin/env node
/**
 * `npm run vectors:transforms`: runs TransformVectors.java on Kafka Connect's
 * jars (fetched into the cache on first use, as `pipe dev fetch --connect`
 * does; connect-transforms comes with connect-runtime) and writes
 * test/fixtures/transform-vectors/connect-<version>.jsonl; then on those jars
 * plus Debezium's (debezium-core from Maven Central, kept in the same cache)
 * it writes debezium-<version>.jsonl for unwrap. Needs `npm run build` first
 * (it uses the jar fetcher from dist/) and `mvn`. Dates are formatted in UTC,
 * as pipe formats them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, defaultKafkaVersion, resolveJars } from '../../dist/kafka/local/jars.js';

/** The last Debezium release that reads both delete.tombstone.handling.mode and the settings it replaced. */
const DEBEZIUM = '2.7.3.Final';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'transform-vectors');

function run(classpath, cases, output) {
  const result = spawnSync(
    'java',
    ['-Duser.timezone=UTC', '-cp', classpath, join(here, 'TransformVectors.java'), join(here, cases)],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    process.exit(1);
  }
  writeFileSync(join(fixtures, output), result.stdout);
  process.stdout.write(`wrote ${output} (${result.stdout.trim().split('\n').length} vectors)\n`);
}

/** debezium-core and debezium-api, without the Kafka jars it would bring (Connect's are used). */
function debeziumJars() {
  const dir = join(cacheRoot(), `debezium-${DEBEZIUM}`);
  const lib = join(dir, 'lib');
  if (!existsSync(join(dir, '.complete'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.pipe.local</groupId><artifactId>debezium-smt</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>io.debezium</groupId><artifactId>debezium-core</artifactId><version>${DEBEZIUM}</version>
    <exclusions><exclusion><groupId>org.apache.kafka</groupId><artifactId>*</artifactId></exclusion></exclusions>
  </dependency></dependencies>
</project>
`,
    );
    const mvn = spawnSync(
      'mvn',
      ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    if (mvn.status !== 0) {
      process.stderr.write(`${mvn.stdout}${mvn.stderr}`);
      process.exit(1);
    }
    writeFileSync(join(dir, '.complete'), '');
  }
  return readdirSync(lib)
    .filter((jar) => jar.startsWith('debezium-'))
    .map((jar) => join(lib, jar));
}

const version = defaultKafkaVersion();
const connect = join((await resolveJars(version, 'connect')).dir, 'lib', '*');
run(connect, 'cases.json', `connect-${version}.jsonl`);
run(
  [connect, ...debeziumJars()].join(':'),
  'cases-debezium.json',
  `debezium-${DEBEZIUM.replace(/\.Final$/, '')}.jsonl`,
);
