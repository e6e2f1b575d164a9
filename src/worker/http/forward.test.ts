import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FORWARDED_HEADER, forwardToActive } from './forward.js';

const request = { method: 'PUT', url: '/connectors/a/pause', body: '', headers: {} };
const noLeader = {
  status: 409,
  body: { error_code: 409, message: expect.stringContaining('no known leader URL') },
};

describe("a standby's forwarding", () => {
  it('passes the request on with the caller’s credentials and answers what the active worker answered', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; by?: string | string[] }> = [];
    const active = createServer((req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        by: req.headers[FORWARDED_HEADER],
      });
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error_code":404,"message":"Connector a not found"}');
    });
    await new Promise<void>((r) => active.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(active.address() as AddressInfo).port}`;
      const answer = await forwardToActive(
        url,
        { ...request, headers: { authorization: 'Basic eDp5' } },
        'w2',
        undefined,
      );
      expect(answer).toEqual({ status: 404, body: { error_code: 404, message: 'Connector a not found' } });
      expect(seen).toEqual([{ method: 'PUT', url: '/connectors/a/pause', auth: 'Basic eDp5', by: 'w2' }]);
    } finally {
      active.close();
    }
  });

  it("answers Connect's 409 when no active worker is known, when it is gone, and for a request already forwarded once", async () => {
    expect(await forwardToActive(undefined, request, 'w2', undefined)).toEqual(noLeader);
    expect(await forwardToActive('http://127.0.0.1:1', request, 'w2', undefined)).toEqual(noLeader);
    const again = { ...request, headers: { [FORWARDED_HEADER]: 'w3' } };
    expect(await forwardToActive('http://127.0.0.1:1', again, 'w2', undefined)).toEqual(noLeader);
  });
});
