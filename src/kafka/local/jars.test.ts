import { describe, expect, it } from 'vitest';
import { downloadedArtifact, mavenFailure } from './jars.js';

const ERROR_TAIL = [
  '[INFO] BUILD FAILURE',
  '[ERROR] ',
  '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
].join('\n');

describe('reading mvn', () => {
  it('names each downloaded jar and its size, and nothing else', () => {
    expect(
      downloadedArtifact(
        '[INFO] Downloaded from central: https://example.invalid/maven2/org/apache/kafka/kafka_2.13/4.2.0/kafka_2.13-4.2.0.jar (6.6 MB at 3.3 MB/s)',
      ),
    ).toEqual({ file: 'kafka_2.13-4.2.0.jar', size: '6.6 MB' });
    expect(downloadedArtifact('Downloaded from mirror: https://example.invalid/a/b/c-1.0.jar')).toEqual({
      file: 'c-1.0.jar',
    });
    expect(
      downloadedArtifact('[INFO] Downloading from central: https://example.invalid/a/kafka_2.13-4.2.0.jar'),
    ).toBeUndefined();
    expect(
      downloadedArtifact(
        '[INFO] Downloaded from central: https://example.invalid/a/kafka_2.13-4.2.0.pom (4 kB)',
      ),
    ).toBeUndefined();
  });

  it('says in one sentence that mvn is missing, the version unknown, or the network down', () => {
    const missing = Object.assign(new Error('spawn mvn ENOENT'), { code: 'ENOENT' });
    expect(mavenFailure({ code: -1, output: String(missing), spawnError: missing }, '4.2.0').reason).toBe(
      'mvn (Apache Maven) is not installed or not on PATH',
    );
    for (const line of [
      '[ERROR] Failed to execute goal on project kafka-broker: Could not resolve dependencies for project dev.pipe.local:kafka-broker:pom:9.9.9: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 in central (https://example.invalid/maven2) -> [Help 1]',
      '[ERROR] Failed to execute goal on project kafka-broker: Could not resolve dependencies for project dev.pipe.local:kafka-broker:pom:9.9.9: org.apache.kafka:kafka_2.13:jar:9.9.9 was not found in https://example.invalid/maven2 during a previous attempt.',
    ]) {
      expect(mavenFailure({ code: 1, output: `${line}\n${ERROR_TAIL}` }, '9.9.9')).toEqual({
        reason: '9.9.9 is not an Apache Kafka release on Maven Central',
        hint: 'the newest release pipe is qualified on is 4.2.0',
        remedies: ['other_kafka_version'],
      });
    }
    const offline = [
      '[WARNING] Could not transfer metadata org.apache.maven.plugins/maven-metadata.xml from/to nowhere (http://127.0.0.1:9/maven2): transfer failed for http://127.0.0.1:9/maven2/org/apache/maven/plugins/maven-metadata.xml',
      "[ERROR] No plugin found for prefix 'dependency' in the current project -> [Help 1]",
    ].join('\n');
    expect(mavenFailure({ code: 1, output: offline }, '4.2.0').reason).toBe(
      'Maven Central could not be reached',
    );
  });

  it("falls back to Maven's first error line, without its prefix", () => {
    const output = `[ERROR] Some other failure -> [Help 1]\n${ERROR_TAIL}`;
    expect(mavenFailure({ code: 1, output }, '4.2.0').reason).toBe(
      'mvn failed: Some other failure -> [Help 1]',
    );
  });
});
