/**
 * The same job as kafkajs-producer.ts on @platformatic/kafka 1.x (the newest
 * line that supports Node 20): the client of pipe's data path alone, the
 * ceiling of file-source.
 * Usage: node platformatic-producer.js '<json ProducerJob>'
 */
import { ProduceAcks, Producer } from '@platformatic/kafka';
import { envelope, line } from '../fixtures.js';
import type { ProducerJob } from './kafkajs-producer.js';

async function main(job: ProducerJob): Promise<void> {
  const producer = new Producer({
    clientId: 'pipe-bench',
    bootstrapBrokers: job.brokers.split(','),
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });
  const raw = Buffer.alloc(job.recordSize, 'x');
  let next = 0;
  const lane = async () => {
    while (next < job.records) {
      const from = next;
      next = Math.min(job.records, next + job.batch);
      const messages = [];
      for (let i = from; i < next; i++) {
        messages.push({
          topic: job.topic,
          value: job.envelopes ? Buffer.from(envelope(line(i, job.recordSize))) : raw,
        });
      }
      await producer.send({ messages });
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  await producer.close();
}

main(JSON.parse(process.argv[2]!) as ProducerJob).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
