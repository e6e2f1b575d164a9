/**
 * A source task's producer under `worker.exactlyOnce`: each batch of records
 * and the source offsets they reach are written in one Kafka transaction,
 * as Kafka Connect's exactly-once sources do (KIP-618: the offsets go to
 * the offsets topic inside the records' transaction). The transactional id
 * is stable per connector task, so a restarted worker's producer fences the
 * one of a worker that died (or hangs) and aborts its open transaction.
 *
 * kafkajs, because its transactions are the most used among Node clients;
 * a batch here is at most a few hundred records, below the sizes where its
 * encoding costs more than @platformatic/kafka's (bench/RESULTS.md).
 */
import type { KafkaConnection } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import { isRetriableKafkaError, type Kafka, type Producer, unreachable } from './client.js';
import type { DataTopicMessages } from './data-producer.js';

export interface TransactionalProducer {
  /**
   * Takes the transactional id: a producer that held it before (a worker
   * killed or cut off) can write nothing more, and its open transaction is
   * aborted.
   */
  fence(): Promise<void>;
  /** Writes every record in one transaction; resolves once it is committed. */
  send(topicMessages: DataTopicMessages): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a transaction may stay open before the broker aborts it: bounds
 * how long a dead worker's open transaction holds back `read_committed`
 * readers of the topics it wrote (Connect's producers use 60 s).
 */
const TRANSACTION_TIMEOUT_MS = 15_000;

const FENCED = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

function typeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: unknown; originalError?: unknown; cause?: unknown };
  if (typeof e.type === 'string') return e.type;
  return typeOf(e.originalError) ?? typeOf(e.cause);
}

function wrap(conn: KafkaConnection, transactionalId: string, err: unknown, what: string): PipeError {
  if (err instanceof PipeError) return err;
  const type = typeOf(err);
  if (type !== undefined && FENCED.has(type)) {
    return new PipeError(
      'TRANSACTION_FENCED',
      `${what}: another producer took transactional id ${transactionalId} (${type}): a second worker runs this task`,
      { cause: err },
    );
  }
  if ((err as { name?: unknown }).name === 'KafkaJSConnectionError') return unreachable(conn, err);
  return new PipeError('KAFKA_REQUEST', `${what}: ${messageOf(err)}`, {
    cause: err,
    retriable: isRetriableKafkaError(err),
  });
}

export function createTransactionalProducer(
  kafka: Kafka,
  conn: KafkaConnection,
  transactionalId: string,
): TransactionalProducer {
  const producer: Producer = kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    transactionTimeout: TRANSACTION_TIMEOUT_MS,
  });
  let connected: Promise<void> | undefined;
  const connect = () => {
    connected ??= producer.connect().catch((err: unknown) => {
      connected = undefined;
      throw err;
    });
    return connected;
  };
  return {
    async fence() {
      try {
        await connect();
        // Beginning a transaction registers the id with its coordinator (InitProducerId): the epoch moves on.
        const transaction = await producer.transaction();
        await transaction.abort();
      } catch (err) {
        throw wrap(conn, transactionalId, err, 'taking the transactional id failed');
      }
    },
    async send(topicMessages) {
      const records = topicMessages.reduce((n, t) => n + t.messages.length, 0);
      let transaction: Awaited<ReturnType<Producer['transaction']>> | undefined;
      try {
        await connect();
        transaction = await producer.transaction();
        await transaction.sendBatch({
          acks: -1,
          topicMessages: topicMessages.map(({ topic, messages }) => ({
            topic,
            messages: messages.map((m) => ({
              key: m.key,
              value: m.value,
              ...(m.headers ? { headers: m.headers } : {}),
              ...(m.partition === undefined ? {} : { partition: m.partition }),
              ...(m.timestamp === undefined ? {} : { timestamp: m.timestamp }),
            })),
          })),
        });
        await transaction.commit();
      } catch (err) {
        // What the transaction wrote stays invisible to read_committed readers once it is aborted.
        if (transaction?.isActive()) await transaction.abort().catch(() => undefined);
        throw wrap(conn, transactionalId, err, `writing ${records} records in a transaction failed`);
      }
    },
    async close() {
      try {
        await producer.disconnect();
      } catch (err) {
        throw wrap(conn, transactionalId, err, 'closing the transactional producer failed');
      }
    },
  };
}
