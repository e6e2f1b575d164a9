/**
 * Opens the Kafka clients a plan or an apply needs, turning a cluster that
 * cannot be reached into the error users see, and closes them whatever
 * happens.
 */
import type { KafkaConnection } from '../config/model.js';
import { type Admin, createKafka, type Kafka, type Producer, unreachable } from './client.js';
import { assertSpeaksKafka } from './probe.js';

export interface Session {
  kafka: Kafka;
  admin: Admin;
  /** Connected on first use: planning never writes. */
  producer(): Promise<Producer>;
}

export async function withSession<T>(
  conn: KafkaConnection,
  role: string,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  // Fails in seconds, naming the address, when a broker address is not a Kafka listener at all.
  await assertSpeaksKafka(conn);
  const kafka = createKafka(conn, { role });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    throw unreachable(conn, err);
  }
  let producer: Producer | undefined;
  try {
    return await fn({
      kafka,
      admin,
      async producer() {
        if (!producer) {
          const p = kafka.producer({ allowAutoTopicCreation: false });
          await p.connect();
          producer = p;
        }
        return producer;
      },
    });
  } finally {
    await Promise.allSettled([admin.disconnect(), producer?.disconnect()]);
  }
}
