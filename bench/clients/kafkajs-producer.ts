/**
 * A plain producer on kafkajs, pipe's control-plane client, run as its own
 * process like pipe's worker: what the client alone achieves, beside the
 * data-path client in platformatic-producer.ts.
 * Usage: node kafkajs-producer.js '<json ProducerJob>'
 */
import { connectionFor, createKafka } from '../../src/kafka/client.js';
import { envelope, line } from '../fixtures.js';

export interface ProducerJob {
  brokers: string;
  topic: string;
  records: number;
  recordSize: number;
  /** Records per send call. */
  batch: number;
  /** Send calls awaited together. */
  inFlight: number;
  /** Write JsonConverter envelopes of the numbered lines instead of raw bytes. */
  envelopes?: boolean;
}

async function main(job: ProducerJob): Promise<void> {
  const producer = createKafka(connectionFor(job.brokers, 'pipe-bench')).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const raw = Buffer.alloc(job.recordSize, 'x');
  const batches: Array<[number, number]> = [];
  for (let i = 0; i < job.records; i += job.batch) batches.push([i, Math.min(job.records, i + job.batch)]);
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const [from, to] = batches[next++]!;
      const messages = [];
      for (let i = from; i < to; i++) {
        messages.push({ value: job.envelopes ? envelope(line(i, job.recordSize)) : raw });
      }
      await producer.send({ topic: job.topic, messages, acks: -1 });
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  await producer.disconnect();
}

main(JSON.parse(process.argv[2]!) as ProducerJob).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
