import { afterEach, describe, expect, it } from 'vitest';
import { PipeError } from '../errors.js';
import { forgetSecrets, rememberSecret } from '../redact.js';
import { ErrorHandler } from './error-policy.js';

const original = {
  topic: 'orders',
  partition: 2,
  offset: '41',
  key: Buffer.from('k'),
  value: Buffer.from('{bad'),
  headers: { trace: Buffer.from('x') },
};
const bad = new PipeError('CONVERTER_DATA', 'not JSON');

describe('ErrorHandler', () => {
  it('fails on the first bad record when tolerance is none', () => {
    const h = new ErrorHandler({ tolerance: 'none', retries: 0 }, 'sink', 0);
    expect(() => h.tolerate('VALUE_CONVERTER', bad, original)).toThrow(
      /value converter failed at orders-2@41: not JSON/,
    );
  });

  it('counts a skipped record and keeps the last error when tolerance is all', () => {
    const h = new ErrorHandler({ tolerance: 'all', retries: 0 }, 'sink', 0);
    h.tolerate('VALUE_CONVERTER', bad, original);
    h.tolerate('KEY_CONVERTER', new Error('odd key'), original);
    expect(h.failed).toBe(2);
    expect(h.lastError).toMatch(/key converter failed .*odd key/);
    expect(h.takeDeadLetters()).toEqual([]);
  });

  it('keeps the original bytes and headers with Connect’s context headers for the dead letter topic', () => {
    const h = new ErrorHandler({ tolerance: 'all', deadLetterTopic: 'dlq', retries: 0 }, 'sink', 1);
    h.tolerate('VALUE_CONVERTER', bad, original);
    const [letter] = h.takeDeadLetters();
    expect(letter?.topic).toBe('dlq');
    expect(letter?.value?.toString()).toBe('{bad');
    expect(letter?.key?.toString()).toBe('k');
    const headers = Object.fromEntries(Object.entries(letter!.headers).map(([k, v]) => [k, v.toString()]));
    expect(headers).toMatchObject({
      trace: 'x',
      '__connect.errors.topic': 'orders',
      '__connect.errors.partition': '2',
      '__connect.errors.offset': '41',
      '__connect.errors.connector.name': 'sink',
      '__connect.errors.task.id': '1',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.exception.class.name': 'pipe.CONVERTER_DATA',
      '__connect.errors.exception.message': 'not JSON',
    });
    expect(h.takeDeadLetters()).toEqual([]);
  });

  it('writes a secret in the error as its reference, in the dead letter and in the last error', () => {
    rememberSecret('hunter2-secret', '${env:DB_PASSWORD}');
    const h = new ErrorHandler({ tolerance: 'all', deadLetterTopic: 'dlq', retries: 0 }, 'sink', 1);
    h.tolerate('TASK_PUT', new Error("EISDIR: open '/data/dir-hunter2-secret'"), original);
    const [letter] = h.takeDeadLetters();
    const headers = Object.values(letter!.headers)
      .map((v) => v.toString())
      .join('\n');
    expect(headers).toContain("open '/data/dir-${env:DB_PASSWORD}'");
    expect(`${headers}${h.lastError}`).not.toContain('hunter2');
  });
});

afterEach(forgetSecrets);
