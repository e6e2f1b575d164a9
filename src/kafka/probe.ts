/**
 * Whether the configured brokers speak Kafka at all. A bootstrap address that
 * is, say, an HTTP port accepts the connection and then never answers a Kafka
 * request, so kafkajs waits out its request timeout and reports "Broker not
 * connected". One ApiVersions request (version 0, which every broker answers
 * before authentication) tells within seconds.
 */
import { Socket } from 'node:net';
import type { KafkaConnection } from '../config/model.js';
import { PipeError } from '../errors.js';

const API_VERSIONS = 18;
const CORRELATION_ID = 0x7069; // "pi"

type Verdict = { kafka: true } | { kafka: false; why: string } | { kafka: undefined };

function apiVersionsRequest(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const body = Buffer.alloc(10 + id.length);
  body.writeInt16BE(API_VERSIONS, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(CORRELATION_ID, 4);
  body.writeInt16BE(id.length, 8);
  id.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

/** One broker: connects, asks ApiVersions, and judges the first bytes of the answer. */
function probe(address: string, clientId: string, connectMs: number, answerMs: number): Promise<Verdict> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    let connected = false;
    const done = (verdict: Verdict) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(verdict);
    };
    let timer = setTimeout(() => done({ kafka: undefined }), connectMs);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          done({
            kafka: false,
            why: `it accepts connections but did not answer a Kafka request within ${answerMs / 1000} s`,
          }),
        answerMs,
      );
      socket.write(apiVersionsRequest(clientId));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.subarray(0, 5).toString('latin1') === 'HTTP/') {
        done({ kafka: false, why: 'it answers in HTTP, not the Kafka protocol (is it a web or REST port?)' });
      } else if (received.length >= 8) {
        done(
          received.readInt32BE(4) === CORRELATION_ID
            ? { kafka: true }
            : { kafka: false, why: 'its answer is not a Kafka response' },
        );
      }
    });
    socket.once('error', () => done({ kafka: undefined }));
    socket.once('close', () =>
      done(
        connected
          ? {
              kafka: false,
              why: 'it closed the connection without a Kafka answer (a TLS listener? set kafka.ssl)',
            }
          : { kafka: undefined },
      ),
    );
    socket.connect(port, host);
  });
}

/**
 * Throws KAFKA_UNREACHABLE naming the address when no broker answers as
 * Kafka and one that accepted the connection answered otherwise. Brokers that
 * refuse or cannot be reached are left to the client's own error. TLS
 * listeners are not probed: the probe speaks plaintext.
 */
export async function assertSpeaksKafka(conn: KafkaConnection, answerMs = 5000): Promise<void> {
  if (conn.ssl) return;
  const verdicts = await Promise.all(
    conn.brokers.map(async (address) => ({
      address,
      verdict: await probe(address, conn.clientId, conn.connectionTimeoutMs, answerMs),
    })),
  );
  if (verdicts.some((v) => v.verdict.kafka === true)) return;
  const wrong = verdicts.find((v) => v.verdict.kafka === false);
  if (wrong?.verdict.kafka !== false) return;
  throw new PipeError('KAFKA_UNREACHABLE', `${wrong.address} does not speak Kafka: ${wrong.verdict.why}`, {
    retriable: false,
    meta: {
      file: 'pipeline.config.yaml',
      field: 'kafka.brokers',
      hint: "kafka.brokers takes the brokers' Kafka listeners (host:port, often 9092)",
    },
  });
}
