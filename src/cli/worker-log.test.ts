import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPipeError, PipeError } from '../errors.js';
import { configureWorkerLog, stateEntry, workerLog } from './worker-log.js';

afterEach(() => {
  vi.restoreAllMocks();
  configureWorkerLog({});
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  return { out, err };
}

describe('--log-format json', () => {
  it('writes one JSON object a line: time, level, connector, task, message, error_code', () => {
    configureWorkerLog({ logFormat: 'json' });
    const { out, err } = capture();
    workerLog.info('storing offsets works again', { connector: 'orders', task: 0 });
    workerLog.failure(new PipeError('APPLY_REFUSED', 'refusing to apply:\ntwo lines'), 'keeps running');
    workerLog.state({
      connector: 'orders',
      task: 1,
      state: 'FAILED',
      trace: 'CONNECTOR_FAILED: bad\n  at x',
    });
    workerLog.block('info', '+ topic t\nPlan: 1 to add\n');
    const lines = [...out, ...err];
    for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    const [info, state, block] = out.map((l) => JSON.parse(l));
    expect(info).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      connector: 'orders',
      task: 0,
      message: 'storing offsets works again',
      error_code: null,
    });
    expect(state).toMatchObject({
      level: 'error',
      connector: 'orders',
      task: 1,
      message: 'task orders-1 FAILED: CONNECTOR_FAILED: bad',
      error_code: 'CONNECTOR_FAILED',
    });
    expect(block).toMatchObject({ level: 'info', connector: null, message: '+ topic t\nPlan: 1 to add' });
    expect(JSON.parse(err[0] ?? '')).toMatchObject({ level: 'error', error_code: 'APPLY_REFUSED' });
  });

  it('keeps the human lines as they were', () => {
    const { out, err } = capture();
    workerLog.warn('poll failed', { connector: 'orders', task: 0 });
    workerLog.state({ connector: 'orders', task: 0, state: 'RUNNING', trace: null });
    expect(err).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d warning: orders-0: poll failed\n$/)]);
    expect(out).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d task orders-0 RUNNING\n$/)]);
  });
});

describe('--log-level', () => {
  it('leaves out what is less severe than the level', () => {
    configureWorkerLog({ logLevel: 'warn' });
    const { out, err } = capture();
    workerLog.info('applied');
    workerLog.state({ connector: 'orders', state: 'RUNNING', trace: null });
    workerLog.state({ connector: 'orders', state: 'FAILED', trace: 'boom' });
    workerLog.warn('slow');
    expect(out).toEqual([expect.stringContaining('connector orders FAILED: boom')]);
    expect(err).toEqual([expect.stringContaining('warning: slow')]);
  });

  it('refuses an unknown format or level, naming the flag', () => {
    for (const flags of [{ logFormat: 'xml' }, { logLevel: 'debug' }]) {
      let caught: unknown;
      try {
        configureWorkerLog(flags);
      } catch (e) {
        caught = e;
      }
      expect(isPipeError(caught) && caught.code).toBe('USAGE');
      expect(String((caught as Error).message)).toMatch(/^--log-(format|level): /);
    }
  });

  it('reads the code a state trace starts with, and none from a plain message', () => {
    const at = new Date(0);
    expect(
      stateEntry({ connector: 'c', state: 'FAILED', trace: 'ENOTDIR: not a folder' }, at).context,
    ).toEqual({
      connector: 'c',
      code: 'ENOTDIR',
    });
    expect(stateEntry({ connector: 'c', state: 'FAILED', trace: 'boom: at x' }, at).context).toEqual({
      connector: 'c',
    });
  });
});
