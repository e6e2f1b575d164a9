/**
 * postgres-source's records, serialized before the clock starts: the ceiling
 * of the topic side for exactly those records, with no reading or
 * converting. One request at a time goes through pipe's own data producer
 * (idempotent, acks=all, partition named, its record batches); several at a
 * time through @platformatic/kafka alone, not idempotent, with its own encoder.
 * Usage: node row-producer.js '<json RowJob>'
 */
import { ProduceAcks, Producer } from '@platformatic/kafka';
import { connectionFor } from '../../src/kafka/client.js';
import { createDataProducer, type DataMessage } from '../../src/kafka/data-producer.js';
import { rowRecord } from '../postgres.js';

export interface RowJob {
  brokers: string;
  topic: string;
  records: number;
  /** Records per send call. */
  batch: number;
  /** Send calls awaited together. */
  inFlight: number;
}

async function main(job: RowJob): Promise<void> {
  const records: DataMessage[] = Array.from({ length: job.records }, (_, id) => {
    const { key, value } = rowRecord(id);
    return { partition: 0, key: Buffer.from(key), value: Buffer.from(value) };
  });
  if (job.inFlight === 1) {
    const producer = createDataProducer(connectionFor(job.brokers, 'pipe-bench'), {
      role: 'bench',
      idempotent: true,
    });
    for (let from = 0; from < job.records; from += job.batch)
      await producer.send([{ topic: job.topic, messages: records.slice(from, from + job.batch) }]);
    await producer.close();
    return;
  }
  const producer = new Producer({
    clientId: 'pipe-bench',
    bootstrapBrokers: job.brokers.split(','),
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
  });
  let next = 0;
  const lane = async () => {
    while (next < job.records) {
      const from = next;
      next = Math.min(job.records, next + job.batch);
      const messages = records.slice(from, next).map((r) => ({
        topic: job.topic,
        partition: 0,
        key: r.key ?? undefined,
        value: r.value ?? undefined,
      }));
      await producer.send({ messages });
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  await producer.close();
}

main(JSON.parse(process.argv[2] ?? '{}') as RowJob).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
