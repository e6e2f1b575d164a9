/**
 * postgres-source's records, serialized before the clock starts, sent by the
 * producer of pipe's data path with its settings (idempotent, acks=all,
 * partition named): the ceiling of the topic side for exactly those records,
 * with no reading or converting.
 * Usage: node row-producer.js '<json RowJob>'
 */
import { ProduceAcks, Producer } from '@platformatic/kafka';
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
  const records = Array.from({ length: job.records }, (_, id) => {
    const { key, value } = rowRecord(id);
    return { topic: job.topic, partition: 0, key: Buffer.from(key), value: Buffer.from(value) };
  });
  const producer = new Producer({
    clientId: 'pipe-bench',
    bootstrapBrokers: job.brokers.split(','),
    acks: ProduceAcks.ALL,
    // One send at a time keeps an idempotent producer's sequence numbers in order, as pipe's pipeline does.
    idempotent: job.inFlight === 1,
    autocreateTopics: false,
  });
  let next = 0;
  const lane = async () => {
    while (next < job.records) {
      const from = next;
      next = Math.min(job.records, next + job.batch);
      await producer.send({ messages: records.slice(from, next) });
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
