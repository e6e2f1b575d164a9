import { describe, expect, it } from 'vitest';
import type { Runtime, RuntimeStatus } from '../runtime/runtime.js';
import { NO_TASKS_SETTLE_MS, waitForRunning } from './wait.js';

const worker = { worker_id: 'w1', project: 'demo', startedAt: '', heartbeatAt: '' };

/** A runtime whose status is read from a script, one entry per poll (the last one repeats). */
function scripted(statuses: RuntimeStatus[], needsWorker = true): Runtime & { polls: number } {
  return {
    name: 'scripted',
    needsWorker,
    polls: 0,
    cannotRun: () => undefined,
    read: async () => ({
      status: { connectors: {}, liveWorkers: [] },
      dropsOffsets: true,
      readsOffsets: true,
    }),
    restart: async () => {},
    putConnector: async () => {},
    deleteConnector: async () => ({ offsetsDropped: 0, groupDeleted: false }),
    setTargetState: async () => {},
    offsets: async () => [],
    alterOffsets: async () => {},
    resetOffsets: async () => {},
    async status() {
      const s = statuses[Math.min(this.polls, statuses.length - 1)]!;
      this.polls++;
      return s;
    },
  };
}

function fakeTime() {
  let t = 1000;
  return {
    clock: {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
    },
  };
}

describe('waitForRunning', () => {
  it('says at once that no worker runs, without waiting out the timeout', async () => {
    const runtime = scripted([{ connectors: {}, liveWorkers: [] }]);
    const result = await waitForRunning(runtime, 'demo', [{ name: 's' }], {
      timeoutMs: 60000,
      ...fakeTime(),
    });
    expect(result).toEqual({ kind: 'no-worker' });
    expect(runtime.polls).toBe(1);
  });

  it('waits until every connector reports RUNNING after the apply', async () => {
    const runtime = scripted([
      { connectors: { s: { state: 'RUNNING', reportedAt: 500, tasks: [] } }, liveWorkers: [worker] },
      { connectors: { s: { state: 'UNASSIGNED', reportedAt: 1200, tasks: [] } }, liveWorkers: [worker] },
      { connectors: { s: { state: 'RUNNING', reportedAt: 1700, tasks: [] } }, liveWorkers: [worker] },
    ]);
    const result = await waitForRunning(runtime, 'demo', [{ name: 's', freshAfter: 1000 }], {
      timeoutMs: 60000,
      ...fakeTime(),
    });
    expect(result).toEqual({ kind: 'running', connectors: ['s'] });
    expect(runtime.polls).toBe(3);
  });

  it('reports a failed task with its trace', async () => {
    const runtime = scripted([
      {
        connectors: { s: { state: 'RUNNING', tasks: [{ id: 0, state: 'FAILED', trace: 'boom' }] } },
        liveWorkers: [worker],
      },
    ]);
    expect(
      await waitForRunning(runtime, 'demo', [{ name: 's' }], { timeoutMs: 1000, ...fakeTime() }),
    ).toEqual({
      kind: 'failed',
      failed: [{ name: 's task 0', trace: 'boom' }],
    });
  });

  it('gives up at the timeout, naming what is still pending', async () => {
    const runtime = scripted([{ connectors: {}, liveWorkers: [worker] }]);
    expect(
      await waitForRunning(runtime, 'demo', [{ name: 's' }], { timeoutMs: 2000, ...fakeTime() }),
    ).toEqual({
      kind: 'timeout',
      pending: [{ name: 's', state: 'not reported yet' }],
    });
  });

  it('on Kafka Connect, takes RUNNING without tasks only once it held, so a task failing at start fails the wait', async () => {
    const runningNoTasks = { connectors: { s: { state: 'RUNNING' as const, tasks: [] } }, liveWorkers: [] };
    const failing = scripted(
      [
        runningNoTasks,
        runningNoTasks,
        {
          connectors: {
            s: { state: 'RUNNING', tasks: [{ id: 0, state: 'FAILED', trace: 'cannot create file' }] },
          },
          liveWorkers: [],
        },
      ],
      false,
    );
    expect(
      await waitForRunning(failing, 'demo', [{ name: 's' }], {
        timeoutMs: 60_000,
        pollMs: 500,
        ...fakeTime(),
      }),
    ).toEqual({ kind: 'failed', failed: [{ name: 's task 0', trace: 'cannot create file' }] });

    // A connector that rightly has no tasks is RUNNING once that held for NO_TASKS_SETTLE_MS.
    const none = scripted([runningNoTasks], false);
    const time = fakeTime();
    const started = time.clock.now();
    expect(
      await waitForRunning(none, 'demo', [{ name: 's' }], { timeoutMs: 60_000, pollMs: 500, ...time }),
    ).toEqual({ kind: 'running', connectors: ['s'] });
    expect(time.clock.now() - started).toBe(NO_TASKS_SETTLE_MS);
  });
});
