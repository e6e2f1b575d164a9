/**
 * A small client for Kafka Connect's REST API over node's http/https: any of
 * the cluster's workers answers, so a request that meets a worker that is
 * down, or a rebalance (409), goes to the next URL with a growing pause,
 * until the deadline. Basic auth and TLS (CA, client certificate) as the
 * runtime declares them.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { messageOf, PipeError } from '../../errors.js';

export interface ConnectClientOptions {
  /** The runtime's name, for messages. */
  runtime: string;
  urls: string[];
  auth?: { basic: { username: string; password: string } };
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  requestTimeoutMs: number;
  /** How long one call keeps retrying across the URLs. */
  deadlineMs: number;
  /** A cluster none of whose URLs ever answered is reported after this long (at most deadlineMs). */
  unreachableMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConnectResponse {
  status: number;
  body: unknown;
  url: string;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Answers worth another try on another worker: a rebalance, a leader being elected, a worker starting. */
function transient(status: number, body: unknown): boolean {
  if (status === 409 || status === 502 || status === 503 || status === 504) return true;
  if (status !== 500) return false;
  const message = messageOfBody(body);
  return /timed out|rebalanc|leader|not ready|starting/i.test(message);
}

export function messageOfBody(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body)
    return String((body as { message: unknown }).message);
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function pem(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

export class ConnectClient {
  readonly #o: ConnectClientOptions;
  readonly #sleep: (ms: number) => Promise<void>;
  /** The URL that answered last: tried first next time. */
  #preferred = 0;
  #tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };

  constructor(options: ConnectClientOptions) {
    this.#o = options;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  get urls(): readonly string[] {
    return this.#o.urls;
  }

  #tlsOptions() {
    if (!this.#o.tls) return {};
    if (!this.#tls) {
      const t = this.#o.tls;
      try {
        this.#tls = {
          ...(t.ca ? { ca: pem(t.ca) } : {}),
          ...(t.cert ? { cert: pem(t.cert) } : {}),
          ...(t.key ? { key: pem(t.key) } : {}),
          rejectUnauthorized: t.rejectUnauthorized,
        };
      } catch (err) {
        throw new PipeError(
          'CONFIG_INVALID',
          `runtime "${this.#o.runtime}": cannot read a TLS file: ${messageOf(err)}`,
          { meta: { field: `runtimes.${this.#o.runtime}.tls` } },
        );
      }
    }
    return this.#tls;
  }

  /** One request to one URL; rejects on a network error or timeout. */
  #once(base: string, method: string, path: string, body: unknown): Promise<ConnectResponse> {
    const url = new URL(`${base}${path}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const basic = this.#o.auth?.basic;
    if (basic)
      headers['authorization'] =
        `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        { method, headers, timeout: this.#o.requestTimeoutMs, ...(lib === https ? this.#tlsOptions() : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // Connect answers some errors (a proxy's, a 401 from Jetty) as HTML or text.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, url: base });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#o.requestTimeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Sends the request to the workers in turn until one gives an answer that
   * is not transient. 2xx and 4xx answers are returned (404 is the caller's
   * business); 401/403 fail at once with what to check.
   */
  async request(method: string, path: string, body?: unknown): Promise<ConnectResponse> {
    const started = Date.now();
    const deadline = started + this.#o.deadlineMs;
    const unreachableBy = started + Math.min(this.#o.unreachableMs ?? 8000, this.#o.deadlineMs);
    const urls = this.#o.urls;
    let answered = false;
    let pause = 200;
    const lastByUrl = new Map<string, string>();
    for (;;) {
      for (let i = 0; i < urls.length; i++) {
        const index = (this.#preferred + i) % urls.length;
        // biome-ignore lint/style/noNonNullAssertion: index is taken modulo urls.length
        const base = urls[index]!;
        let res: ConnectResponse;
        try {
          res = await this.#once(base, method, path, body);
        } catch (err) {
          lastByUrl.set(base, messageOf(err));
          continue;
        }
        answered = true;
        if (res.status === 401 || res.status === 403) {
          throw new PipeError(
            'RUNTIME_AUTH',
            this.#o.auth
              ? `Kafka Connect runtime "${this.#o.runtime}" at ${base} refused pipe's credentials: ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'} for ${method} ${path}`
              : `Kafka Connect runtime "${this.#o.runtime}" at ${base} asks for credentials: ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'} for ${method} ${path}`,
            {
              meta: {
                field: `runtimes.${this.#o.runtime}.auth`,
                hint: this.#o.auth
                  ? `check runtimes.${this.#o.runtime}.auth.basic in pipeline.config.yaml (username and password)`
                  : `the cluster asks for credentials: set runtimes.${this.#o.runtime}.auth.basic in pipeline.config.yaml`,
              },
            },
          );
        }
        if (transient(res.status, res.body)) {
          lastByUrl.set(base, `${res.status} ${messageOfBody(res.body)}`);
          continue;
        }
        this.#preferred = index;
        return res;
      }
      const now = Date.now();
      if (now >= deadline || (!answered && now >= unreachableBy)) {
        const tried = [...lastByUrl].map(([u, why]) => `${u} (${why})`).join(', ');
        if (!answered) {
          throw new PipeError(
            'RUNTIME_UNREACHABLE',
            `Kafka Connect runtime "${this.#o.runtime}" is unreachable: tried ${tried}`,
            {
              retriable: true,
              meta: {
                field: `runtimes.${this.#o.runtime}.urls`,
                hint: 'check that the workers run and that runtimes.<name>.urls lists their REST listeners',
              },
            },
          );
        }
        throw new PipeError(
          'RUNTIME_REQUEST',
          `Kafka Connect runtime "${this.#o.runtime}": ${method} ${path} did not succeed within ${this.#o.deadlineMs} ms: ${tried}`,
          {
            retriable: true,
            meta: { hint: 'the cluster may be rebalancing or a worker down: run the command again' },
          },
        );
      }
      await this.#sleep(Math.min(pause, Math.max(0, deadline - now)));
      pause = Math.min(pause * 2, 2000);
    }
  }

  /** A request whose answer must be 2xx (or one of `also`); anything else is an error naming Connect's message. */
  async expect(method: string, path: string, body?: unknown, also: number[] = []): Promise<ConnectResponse> {
    const res = await this.request(method, path, body);
    if ((res.status >= 200 && res.status < 300) || also.includes(res.status)) return res;
    throw new PipeError(
      'RUNTIME_REQUEST',
      `Kafka Connect runtime "${this.#o.runtime}" answered ${method} ${path} with ${res.status}: ${messageOfBody(res.body)}`,
      { meta: { status: res.status } },
    );
  }
}
