/**
 * Kafka Connect's offsets API came in two steps: 3.5 reads offsets, 3.6
 * changes them. Where a cluster lacks a call, pipe says so before it sends
 * the request. The cluster here is a small HTTP server that answers `GET /`
 * with the release a test sets and records every other request; the real
 * 3.5 worker is in test/connect-3.5.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipeError } from '../../errors.js';
import { ConnectRuntime } from './runtime.js';

let server: Server;
const requests: string[] = [];
let url = '';
let version = '3.4.1';
/** How many more DELETE …/offsets of connector `sink` answer that its tasks are still stopping. */
let stillStopping = 0;
const STILL_STOPPING =
  "Failed to reset consumer group offsets for connector sink either because its tasks haven't stopped completely yet or the connector was resumed before the request to reset its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried.";

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/') res.end(JSON.stringify({ version, commit: 'x', kafka_cluster_id: 'c' }));
    else if (req.method === 'DELETE' && req.url === '/connectors/sink/offsets' && stillStopping > 0) {
      stillStopping--;
      res.statusCode = 500;
      res.end(JSON.stringify({ error_code: 500, message: STILL_STOPPING }));
    } else if (req.method === 'DELETE' && req.url === '/connectors/sink/offsets') {
      res.end(JSON.stringify({ message: 'The offsets for this connector have been reset successfully' }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ error_code: 404, message: 'HTTP 404 Not Found' }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function oldRuntime() {
  return new ConnectRuntime({
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
}

async function refusal(call: () => Promise<unknown>): Promise<PipeError> {
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipeError);
  return err as PipeError;
}

const spec = { kind: 'source' as const, name: 'src' };
const offsets = [{ partition: { filename: '/in' }, offset: { position: 0 } }];

describe('the offsets of a connector on Kafka Connect before 3.5', () => {
  it('are refused with OFFSETS_UNSUPPORTED naming the release, and no offsets request is sent', async () => {
    version = '3.4.1';
    requests.length = 0;
    const runtime = oldRuntime();
    for (const call of [
      () => runtime.offsets('p', spec),
      () => runtime.alterOffsets('p', spec, offsets),
      () => runtime.resetOffsets('p', spec),
    ]) {
      const err = await refusal(call);
      expect(err.code).toBe('OFFSETS_UNSUPPORTED');
      expect(err.message).toContain('runs 3.4.1, which has no offsets API (reading offsets came with 3.5');
    }
    expect(requests.filter((r) => r !== 'GET /')).toEqual([]);
  });
});

describe('the offsets of a connector on Kafka Connect 3.5', () => {
  it('cannot be changed: refused with OFFSETS_UNSUPPORTED before any PATCH or DELETE is sent', async () => {
    version = '3.5.2';
    requests.length = 0;
    const runtime = oldRuntime();
    for (const call of [
      () => runtime.alterOffsets('p', spec, offsets),
      () => runtime.resetOffsets('p', spec),
    ]) {
      const err = await refusal(call);
      expect(err.code).toBe('OFFSETS_UNSUPPORTED');
      expect(err.message).toContain('runs 3.5.2, which cannot change offsets');
    }
    expect(requests.filter((r) => r !== 'GET /')).toEqual([]);
  });
});

describe('resetting a sink just stopped on Kafka Connect 3.6+', () => {
  it("asks again while Connect answers that the sink's tasks have not stopped completely, as Connect says to", async () => {
    version = '3.9.1';
    stillStopping = 2;
    requests.length = 0;
    await oldRuntime().resetOffsets('p', { kind: 'sink', name: 'sink' });
    expect(requests.filter((r) => r === 'DELETE /connectors/sink/offsets')).toHaveLength(3);
  });

  it("gives up with the cluster's words once its deadline has passed", async () => {
    version = '3.9.1';
    stillStopping = 1000;
    const err = await refusal(() => oldRuntime().resetOffsets('p', { kind: 'sink', name: 'sink' }));
    expect(err.message).toMatch(/answered DELETE .*offsets with 500: .*haven't stopped completely/);
    stillStopping = 0;
  });
});
