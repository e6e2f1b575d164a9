import { afterEach, describe, expect, it } from 'vitest';
import { RequestQueue } from './kafkajs-request-queue.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}

const queues: Queue[] = [];

function queue(): Queue {
  const q = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: quiet,
  }) as unknown as Queue;
  queues.push(q);
  return q;
}

afterEach(() => {
  for (const q of queues.splice(0)) q.destroy();
});

describe("kafkajs's request queue", () => {
  it('sets no timer once it has nothing waiting, after an answer or a check', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.pending).toEqual([]);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks again later when a request waits for the throttle to end', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 60_000;
    q.pending.push({ send() {} });
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
  });
});
