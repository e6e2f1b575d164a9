/**
 * A fix for kafkajs 2.2.4's request queue, installed on its class. After its
 * first answer, every kafkajs connection checks its (empty) queue of pending
 * requests again on a timer whose delay is negative, so Node runs it every
 * millisecond, forever (tulios/kafkajs#1556 and #1704; the fixes proposed there
 * are not released): the largest part of what an idle worker allocated. A
 * check is only useful when a request waits, and a request that starts
 * waiting schedules its own.
 */
import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

const require = createRequire(import.meta.url);

type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;

/** kafkajs's own class: the module its connections load, from the same file. */
export const RequestQueue: RequestQueueClass = require('kafkajs/src/network/requestQueue/index.js');

const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;

RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleWhenPending(this: RequestQueue) {
  if (this.pending.length > 0) schedule.call(this);
};
