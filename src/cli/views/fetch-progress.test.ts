import { describe, expect, it } from 'vitest';
import { fetchProgress } from './fetch-progress.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  const fake = { isTTY, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { fake, text: () => written.join('') };
}

function run(isTTY: boolean): string {
  const { fake, text } = stream(isTTY);
  const show = fetchProgress(fake);
  show({ kind: 'start', what: 'Apache Kafka 4.2.0 (broker)' });
  show({ kind: 'artifact', file: 'kafka_2.13-4.2.0.jar', size: '6.6 MB' });
  show({ kind: 'artifact', file: 'scala-library-2.13.16.jar' });
  show({ kind: 'done', jars: 46, ms: 25_400, dir: '/cache/kafka-4.2.0/broker' });
  return text();
}

describe('the progress of a download', () => {
  it('is plain lines, one per jar, when the output is not a terminal', () => {
    expect(run(false)).toBe(
      [
        'fetching Apache Kafka 4.2.0 (broker) from Maven Central with mvn, once: it is cached',
        '  downloaded kafka_2.13-4.2.0.jar (6.6 MB)',
        '  downloaded scala-library-2.13.16.jar',
        'fetched 46 jars in 25 s into /cache/kafka-4.2.0/broker',
        '',
      ].join('\n'),
    );
  });

  it('is one line rewritten in place on a terminal, cleared at the end', () => {
    const text = run(true);
    expect(text).toContain('\r\x1b[K⠙ 1 jar downloaded, last kafka_2.13-4.2.0.jar (6.6 MB)');
    expect(text).toContain('\r\x1b[K⠹ 2 jars downloaded, last scala-library-2.13.16.jar');
    expect(text.endsWith('\r\x1b[Kfetched 46 jars in 25 s into /cache/kafka-4.2.0/broker\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
  });
});
