/**
 * A standby's connector routes: it runs no connector, so it forwards
 * Connect's `/connectors…` requests to the project's active worker, found by
 * the URL in that worker's heartbeat, and answers with what it answered, as a
 * Connect worker that is not the leader forwards to the leader. Without a
 * known active worker, Connect's 409 for a leader not known.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpTlsSettings } from '../../config/model.js';
import { error, type Reply } from './reply.js';

/** Set on a forwarded request: a worker that is a standby too answers it rather than forwarding it again. */
export const FORWARDED_HEADER = 'x-pipe-forwarded-by';

const NO_LEADER =
  'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';

const FORWARD_TIMEOUT_MS = 30_000;

export interface ForwardRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/** Whether a standby forwards this request: Connect's connector routes; its own probes and metrics it answers. */
export function isForwarded(path: string): boolean {
  return path === '/connectors' || path.startsWith('/connectors/');
}

export async function forwardToActive(
  target: string | undefined,
  req: ForwardRequest,
  self: string,
  tls: HttpTlsSettings | undefined,
): Promise<Reply> {
  if (target === undefined || req.headers[FORWARDED_HEADER] !== undefined) return error(409, NO_LEADER);
  try {
    return await send(new URL(req.url, target), req, self, tls);
  } catch {
    // The heartbeat outlived the worker (it just stopped): the same as no known leader.
    return error(409, NO_LEADER);
  }
}

function send(url: URL, req: ForwardRequest, self: string, tls: HttpTlsSettings | undefined): Promise<Reply> {
  const headers: Record<string, string> = { [FORWARDED_HEADER]: self };
  if (req.body !== '') headers['content-type'] = 'application/json';
  // Basic authentication is the project's, the same on every worker: the caller's credentials pass on.
  if (req.headers.authorization !== undefined) headers['authorization'] = req.headers.authorization;
  const options = { method: req.method, headers, timeout: FORWARD_TIMEOUT_MS };
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 502;
        resolve(text === '' ? { status } : { status, body: JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    };
    // Every worker of the project serves the same certificate: trusting it (and its CA) reaches the active one.
    const out =
      url.protocol === 'https:'
        ? httpsRequest(
            url,
            {
              ...options,
              ca: [tls?.cert, tls?.ca].filter((c): c is string => c !== undefined),
              ...(tls ? { cert: tls.cert, key: tls.key } : {}),
            },
            onResponse,
          )
        : httpRequest(url, options, onResponse);
    out.on('timeout', () => out.destroy(new Error('timed out')));
    out.on('error', reject);
    out.end(req.body);
  });
}
