import {
  type MessageRecord,
  NumericMap,
  produceV7,
  produceV8,
  produceV9,
  produceV10,
  produceV11,
} from '@platformatic/kafka';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProduceRequest, produceApi } from './produce-request.js';

const CLIENT = { 7: produceV7, 8: produceV8, 9: produceV9, 10: produceV10, 11: produceV11 } as const;

/** Records of two topics and three partitions, interleaved, some keyed, one with headers. */
function messages(): MessageRecord[] {
  const out: MessageRecord[] = [];
  for (let i = 0; i < 30; i++) {
    const m: MessageRecord = {
      topic: i % 3 === 0 ? 'orders' : '42',
      partition: i % 4 === 1 ? 2 : i % 2,
      value: Buffer.from(`v${i}`),
    };
    if (i % 5 === 0) m.key = Buffer.from(`k${i}`);
    if (i === 7) m.headers = new Map([[Buffer.from('h'), Buffer.from('x')]]);
    if (i === 9) m.timestamp = 1_763_999_000_000n;
    out.push(m);
  }
  out.push({ topic: 'orders', value: Buffer.from('no partition') });
  return out;
}

function options() {
  const sequences = new NumericMap();
  sequences.set('orders:0', 17);
  sequences.set('42:2', 5);
  return { producerId: 9n, producerEpoch: 1, sequences, compression: 'none' as const };
}

describe('createProduceRequest writes the request the client writes', () => {
  beforeEach(() => {
    vi.spyOn(Date, 'now').mockReturnValue(1_764_000_000_000);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const version of [7, 8, 9, 10, 11] as const) {
    it(`for Produce v${version}: topics and partitions grouped in the client's order, sequences per partition`, () => {
      const ours = createProduceRequest(version)?.(-1, 30_000, messages(), options());
      const theirs = CLIENT[version].createRequest(-1, 30_000, messages(), options());
      expect(ours?.buffer).toEqual(theirs.buffer);
    });
  }

  it('for a transactional request and one that wants no response', () => {
    const ours = createProduceRequest(11)?.(0, 1_000, messages(), { ...options(), transactionalId: 'tx-1' });
    const theirs = produceV11.createRequest(0, 1_000, messages(), { ...options(), transactionalId: 'tx-1' });
    expect(ours?.buffer).toEqual(theirs.buffer);
    expect(ours?.context.noResponse).toBe(true);
  });

  it('leaves compressed batches to the client', () => {
    const gzip = { ...options(), compression: 'gzip' as const };
    const ours = createProduceRequest(11)?.(-1, 1_000, messages(), gzip);
    expect(ours?.buffer.length).toBe(produceV11.createRequest(-1, 1_000, messages(), gzip).buffer.length);
  });

  it('writes no version the client has no layout for', () => {
    expect(createProduceRequest(6)).toBeUndefined();
    expect(produceApi(12)).toBeUndefined();
    expect(produceApi(11)?.version).toBe(11);
  });
});
