import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SinkRecord } from '../api.js';
import { ConsoleSinkTask } from './sink.js';

const record: SinkRecord = {
  topic: 'orders',
  partition: 1,
  offset: '7',
  timestamp: 1700000000000,
  keySchema: { type: 'string', optional: false },
  key: 'k',
  valueSchema: null,
  value: { id: 1n },
  headers: [{ key: 'trace', schema: null, value: 'abc' }],
};

async function printed(format: 'value' | 'json'): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => {
    text += d;
  });
  const task = new ConsoleSinkTask(out);
  await task.start({ format });
  await task.put([record]);
  expect(text).toBe('');
  await task.flush();
  return text;
}

describe('console sink task', () => {
  it('prints each value as a line on flush', async () => {
    expect(await printed('value')).toBe('{"id":1}\n');
  });

  it('prints topic, partition, offset, key, value and headers as one JSON line', async () => {
    expect(JSON.parse(await printed('json'))).toEqual({
      topic: 'orders',
      partition: 1,
      offset: '7',
      timestamp: 1700000000000,
      key: 'k',
      value: { id: 1 },
      headers: { trace: 'abc' },
    });
  });
});
