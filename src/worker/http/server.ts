/**
 * The worker's HTTP server: health, readiness, `/metrics` and Connect's REST
 * routes. It listens before the worker connects to Kafka, so a port in use
 * fails the start at once, naming the port and the setting that chose it.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { HttpTlsSettings } from '../../config/model.js';
import { messageOf, PipeError } from '../../errors.js';
import { redact } from '../../redact.js';
import { authorized, type Credentials } from './basic-auth.js';
import { forwardToActive, isForwarded } from './forward.js';
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
  /** HTTPS; with `ca`, client certificates signed by it are required. */
  tls?: HttpTlsSettings | undefined;
  /** Required on every route but /health, which orchestrators probe without credentials. */
  basicAuth?: Credentials | undefined;
}

export async function startHttpServer(o: HttpServerOptions): Promise<HttpServer> {
  const wanted = parseListenAddress(o.listen, o.setting);
  const metrics = metricsRegistry(o.view);
  const handle: RequestListener = (req, res) => {
    const send = ({ status, body }: Reply) => {
      if (body === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      // Whatever an answer holds (an error's message, a trace), secrets the worker resolved are masked.
      res.end(redact(JSON.stringify(body)));
    };
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = new URL(url, 'http://worker').pathname;
    if (o.basicAuth && path !== '/health' && !authorized(req.headers.authorization, o.basicAuth)) {
      res.setHeader('www-authenticate', 'Basic realm="pipe"');
      send({ status: 401, body: { error_code: 401, message: 'authentication required' } });
      return;
    }
    if (method === 'GET' && path === '/metrics') {
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
      .then(async (text) => {
        const body = parseJsonOrEmpty(text);
        if (body === INVALID) {
          send({ status: 400, body: { error_code: 400, message: 'the request body is not valid JSON' } });
          return;
        }
        if (o.view.started() && o.view.role() === 'standby' && isForwarded(path)) {
          const target = await o.view.activeWorkerUrl().catch(() => undefined);
          send(
            await forwardToActive(
              target,
              { method, url, body: text, headers: req.headers },
              o.view.workerId,
              o.tls,
            ),
          );
          return;
        }
        send(
          (await route(o.view, method, url, body)) ?? {
            status: 404,
            body: { error_code: 404, message: 'HTTP 404 Not Found' },
          },
        );
      })
      .catch(() => res.destroy());
  };
  const server = o.tls ? httpsServer(o.tls, handle) : createServer(handle);
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

function httpsServer(tls: HttpTlsSettings, handle: RequestListener): Server {
  try {
    return createHttpsServer(
      {
        cert: tls.cert,
        key: tls.key,
        ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
      },
      handle,
    );
  } catch (err) {
    throw new PipeError(
      'WORKER',
      `the worker's HTTPS server cannot start: worker.http.tls does not hold a usable certificate and key (${messageOf(err)})`,
      {
        meta: { field: 'worker.http.tls', hint: 'give PEM texts, e.g. cert: ${file:tls/server.crt}' },
        cause: err,
      },
    );
  }
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

const INVALID = Symbol('invalid JSON');

/** The body's JSON; undefined for an empty body. */
function parseJsonOrEmpty(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
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
