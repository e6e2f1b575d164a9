import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionFor } from './client.js';
import { assertSpeaksKafka } from './probe.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterAll(async () => {
  // close() waits for open connections: end the ones the servers still hold.
  for (const socket of sockets) socket.destroy();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port that refuses connections: a server's, closed again. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  return address;
}

describe('whether a broker address speaks Kafka', () => {
  it('names an HTTP port as one that answers in HTTP', async () => {
    const http = await listen(
      createHttpServer((_req, res) => {
        res.end('hello');
      }),
    );
    await expect(assertSpeaksKafka(connectionFor(http))).rejects.toMatchObject({
      code: 'KAFKA_UNREACHABLE',
      message: `${http} does not speak Kafka: it answers in HTTP, not the Kafka protocol (is it a web or REST port?)`,
    });
  });

  it('names a port that accepts connections and never answers', async () => {
    const silent = await listen(createServer(() => {}));
    await expect(assertSpeaksKafka(connectionFor(silent), 200)).rejects.toMatchObject({
      code: 'KAFKA_UNREACHABLE',
      message: `${silent} does not speak Kafka: it accepts connections but did not answer a Kafka request within 0.2 s`,
    });
  });

  it('names a port that hangs up without answering', async () => {
    const hangup = await listen(createServer((socket) => socket.destroy()));
    await expect(assertSpeaksKafka(connectionFor(hangup))).rejects.toMatchObject({
      message: `${hangup} does not speak Kafka: it closed the connection without a Kafka answer (a TLS listener? set kafka.ssl)`,
    });
  });

  it("leaves a refused connection to the client's own error, and passes when one broker answers as Kafka", async () => {
    const refused = await closedPort();
    await expect(assertSpeaksKafka(connectionFor(refused))).resolves.toBeUndefined();
    const kafkaLike = await listen(
      createServer((socket) => {
        socket.once('data', (request: Buffer) => {
          const response = Buffer.alloc(10);
          response.writeInt32BE(6, 0);
          request.copy(response, 4, 8, 12);
          socket.end(response);
        });
      }),
    );
    const http = await listen(createHttpServer((_req, res) => res.end()));
    await expect(assertSpeaksKafka(connectionFor([http, kafkaLike]))).resolves.toBeUndefined();
  });
});
