/**
 * A Kafka Connect cluster older than 3.6 has no offsets API: pipe says so
 * before it sends any offsets request (or stops anything). The cluster here
 * is a small HTTP server that answers `GET /` as Connect 3.5 does and records
 * every other request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipeError } from '../../errors.js';
import { ConnectRuntime } from './runtime.js';

let server: Server;
const requests: string[] = [];
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/') res.end(JSON.stringify({ version: '3.5.1', commit: 'x', kafka_cluster_id: 'c' }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ error_code: 404, message: 'HTTP 404 Not Found' }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the offsets of a connector on Kafka Connect before 3.6', () => {
  it('are refused with OFFSETS_UNSUPPORTED naming the release, and no offsets request is sent', async () => {
    const runtime = new ConnectRuntime({
      spec: {
        name: 'old',
        type: 'connect',
        urls: [url],
        providers: {},
        secrets: 'references',
        requestTimeoutMs: 2000,
        deadlineMs: 2000,
      },
      projectDir: '/tmp',
    });
    const spec = { kind: 'source' as const, name: 'src' };
    for (const call of [
      () => runtime.offsets('p', spec),
      () => runtime.alterOffsets('p', spec, [{ partition: { filename: '/in' }, offset: { position: 0 } }]),
      () => runtime.resetOffsets('p', spec),
    ]) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PipeError);
      expect((err as PipeError).code).toBe('OFFSETS_UNSUPPORTED');
      expect((err as PipeError).message).toContain('runs 3.5.1, which has no offsets API (it came with 3.6)');
    }
    expect(requests.filter((r) => r !== 'GET /')).toEqual([]);
  });
});
