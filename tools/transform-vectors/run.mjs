#!/usr/bin/env node
/**
 * `npm run vectors:transforms`: runs TransformVectors.java on Kafka Connect's
 * jars (fetched into the cache on first use, as `pipe dev fetch --connect`
 * does; connect-transforms comes with connect-runtime) and writes
 * test/fixtures/transform-vectors/connect-<version>.jsonl. Needs `npm run
 * build` first (it uses the jar fetcher from dist/). Dates are formatted in
 * UTC, as pipe formats them.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultKafkaVersion, resolveJars } from '../../dist/kafka/local/jars.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const version = defaultKafkaVersion();
const jars = await resolveJars(version, 'connect');
const result = spawnSync(
  'java',
  [
    '-Duser.timezone=UTC',
    '-cp',
    join(jars.dir, 'lib', '*'),
    join(here, 'TransformVectors.java'),
    join(here, 'cases.json'),
  ],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  process.exit(1);
}
const out = join(root, 'test', 'fixtures', 'transform-vectors', `connect-${version}.jsonl`);
writeFileSync(out, result.stdout);
process.stdout.write(
  `wrote ${out.slice(root.length + 1)} (${result.stdout.trim().split('\n').length} vectors)\n`,
);
