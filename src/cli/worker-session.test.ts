import { afterEach, describe, expect, it, vi } from 'vitest';
import { PipeError } from '../errors.js';
import { workerLog } from './worker-session.js';

afterEach(() => vi.restoreAllMocks());

describe("pipe up and pipe run's log", () => {
  it('words a failure once: error[CODE], not error: error[CODE]', () => {
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    workerLog.failure(
      new PipeError('APPLY_REFUSED', 'refusing to apply: topic.t (deleting a topic deletes its data)', {
        meta: { remedies: ['allow_delete'] },
      }),
      'the running pipelines keep running as they were',
    );
    expect(err.join('')).toMatch(
      /^\d\d:\d\d:\d\d error\[APPLY_REFUSED\]: refusing to apply: topic\.t \(deleting a topic deletes its data\)\n {2}hint: run again with --allow-delete\n {2}the running pipelines keep running as they were\n$/,
    );
  });
});
