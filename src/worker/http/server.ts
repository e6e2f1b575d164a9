/**
 * The worker's HTTP server: health, readiness, `/metrics` and Connect's REST
 * routes. It listens before the worker connects to Kafka, so a port in use
 * fails the start at once, naming the port and the setting that chose it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PipeError } from '../../errors.js';
import { type ListenAddress, parseListenAddress } from './listen-address.js';
import { metricsRegistry } from './metrics-registry.js';
import { type Reply, route } from './routes.js';
import type { WorkerView } from './worker-view.js';

export interface HttpServer {
  /** The address bound: the port is the real one when 0 was asked for. */
  address: ListenAddress;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  listen: string;
  /** Where the address came from (`worker.http.listen in pipeline.config.yaml`, a flag), for errors. */
  setting: string;
  view: WorkerView;
}

export async function startHttpServer(o: HttpServerOptions): Promise<HttpServer> {
  const wanted = parseListenAddress(o.listen, o.setting);
  const metrics = metricsRegistry(o.view);
  const server = createServer((req, res) => {
    const send = ({ status, body }: Reply) => {
      if (body === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (method === 'GET' && new URL(url, 'http://worker').pathname === '/metrics') {
      metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        },
        (err: unknown) => send({ status: 500, body: { error_code: 500, message: String(err) } }),
      );
      return;
    }
    readBody(req)
      .then(async (body) => {
        if (!isJsonOrEmpty(body)) {
          send({ status: 400, body: { error_code: 400, message: 'the request body is not valid JSON' } });
          return;
        }
        send(
          (await route(o.view, method, url)) ?? {
            status: 404,
            body: { error_code: 404, message: 'HTTP 404 Not Found' },
          },
        );
      })
      .catch(() => res.destroy());
  });
  await listen(server, wanted, o);
  const bound = server.address() as AddressInfo;
  return {
    address: { host: wanted.host, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Request bodies are small JSON configs; a larger one is cut off rather than buffered. */
const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function isJsonOrEmpty(text: string): boolean {
  if (text.trim() === '') return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function listen(server: Server, at: ListenAddress, o: HttpServerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${at.port} on ${at.host} is in use`
          : err.code === 'EADDRNOTAVAIL'
            ? `${at.host} is not an address of this machine`
            : err.code === 'EACCES'
              ? `port ${at.port} needs privileges this process lacks`
              : `cannot listen on ${o.listen}: ${err.message}`;
      reject(
        new PipeError('WORKER', `the worker's HTTP server cannot start: ${why} (set by ${o.setting})`, {
          meta: {
            field: o.setting,
            hint: `choose another address for ${o.setting}, or turn the HTTP server off`,
          },
          cause: err,
        }),
      );
    });
    server.listen(at.port, at.host, () => resolve());
  });
}
