import { describe, expect, it } from 'vitest';
import { type OffsetMap, OffsetTracker, partitionKey } from './offset-tracker.js';
import { type OutgoingMessage, SendPipeline, type TopicMessages } from './send-pipeline.js';

const file = { filename: 'f' };
const at = (position: number): OffsetMap =>
  new Map([[partitionKey(file), { partition: file, offset: { position } }]]);
const msgs = (...values: string[]): OutgoingMessage[] =>
  values.map((v) => ({ key: null, value: Buffer.from(v) }));

/** A producer whose sends complete when the test says so. */
function manualProducer() {
  const sends: Array<{ batch: TopicMessages; resolve: () => void; reject: (e: unknown) => void }> = [];
  const send = (batch: TopicMessages) =>
    new Promise<void>((resolve, reject) => sends.push({ batch, resolve, reject }));
  return { sends, send };
}

const values = (batch: TopicMessages) => batch.flatMap((t) => t.messages.map((m) => m.value?.toString()));
const tick = () => new Promise((r) => setImmediate(r));

describe('SendPipeline', () => {
  it('sends at once when idle, accumulates while a send is in flight, and keeps the order', async () => {
    const p = manualProducer();
    const tracker = new OffsetTracker();
    const pipeline = new SendPipeline(
      p.send,
      tracker,
      { maxBatchBytes: 1000, maxBatchRecords: 1000 },
      () => {},
    );
    await pipeline.add('t', msgs('a'), at(2));
    await pipeline.add('t', msgs('b'), at(4));
    await pipeline.add('t', msgs('c'), at(6));
    expect(p.sends.map((s) => values(s.batch))).toEqual([['a']]);
    p.sends[0]!.resolve();
    await tick();
    expect(p.sends.map((s) => values(s.batch))).toEqual([['a'], ['b', 'c']]);
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 2 } }]);
    p.sends[1]!.resolve();
    await pipeline.drain();
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 6 } }]);
  });

  it('makes add wait while twice a batch is queued behind the send in flight', async () => {
    const p = manualProducer();
    const pipeline = new SendPipeline(
      p.send,
      new OffsetTracker(),
      { maxBatchBytes: 30, maxBatchRecords: 1000 },
      () => {},
    );
    await pipeline.add('t', msgs('a'), at(1));
    let added = false;
    const adding = pipeline.add('t', msgs('b', 'c', 'd'), at(3)).then(() => {
      added = true;
    });
    await tick();
    expect(added).toBe(false);
    p.sends[0]!.resolve();
    await adding;
    expect(added).toBe(true);
  });

  it('reports acknowledged record counts', async () => {
    const p = manualProducer();
    let acked = 0;
    const pipeline = new SendPipeline(
      p.send,
      new OffsetTracker(),
      { maxBatchBytes: 1000, maxBatchRecords: 1000 },
      (n) => {
        acked += n;
      },
    );
    await pipeline.add('t', msgs('a', 'b'), at(4));
    p.sends[0]!.resolve();
    await pipeline.drain();
    expect(acked).toBe(2);
  });

  it('surfaces the first failed send, sends nothing after it and stores no offset past it', async () => {
    const p = manualProducer();
    const tracker = new OffsetTracker();
    const pipeline = new SendPipeline(
      p.send,
      tracker,
      { maxBatchBytes: 1000, maxBatchRecords: 1000 },
      () => {},
    );
    await pipeline.add('t', msgs('a'), at(2));
    await pipeline.add('t', msgs('b'), at(4));
    p.sends[0]!.reject(new Error('broker gone'));
    await expect(pipeline.drain()).rejects.toThrow('broker gone');
    expect(p.sends).toHaveLength(1);
    expect(tracker.take()).toEqual([]);
    await expect(pipeline.add('t', msgs('c'), at(6))).rejects.toThrow('broker gone');
  });

  it('splits a request at maxBatchBytes and carries the offsets with the last part', async () => {
    const p = manualProducer();
    const tracker = new OffsetTracker();
    const pipeline = new SendPipeline(
      p.send,
      tracker,
      { maxBatchBytes: 70, maxBatchRecords: 1000 },
      () => {},
    );
    await pipeline.add('t', msgs('0123456789', '0123456789', '0123456789'), at(33));
    expect(p.sends.map((s) => values(s.batch))).toEqual([['0123456789', '0123456789']]);
    p.sends[0]!.resolve();
    await tick();
    expect(tracker.take()).toEqual([]);
    expect(p.sends.map((s) => values(s.batch))).toEqual([['0123456789', '0123456789'], ['0123456789']]);
    p.sends[1]!.resolve();
    await pipeline.drain();
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 33 } }]);
  });

  it('takes records its caller measured to fit one request as they are, without measuring them again', async () => {
    const p = manualProducer();
    const pipeline = new SendPipeline(
      p.send,
      new OffsetTracker(),
      { maxBatchBytes: 60, maxBatchRecords: 1000 },
      () => {},
    );
    // 31 bytes each by sizeOf, over 60 together: only the size given keeps them in one request.
    await pipeline.add('t', msgs('0123456789', '0123456789'), at(22), { bytes: 50 });
    expect(p.sends.map((s) => values(s.batch))).toEqual([['0123456789', '0123456789']]);
  });

  it('cuts records measured by their caller when they are over the limits, as records it measures itself', async () => {
    const p = manualProducer();
    const tracker = new OffsetTracker();
    const pipeline = new SendPipeline(
      p.send,
      tracker,
      { maxBatchBytes: 1000, maxBatchRecords: 1000 },
      () => {},
    );
    // Lowered after the caller cut its part (a topic's max.message.bytes learnt mid-poll).
    pipeline.limitBatchBytes(70);
    await pipeline.add('t', msgs('0123456789', '0123456789', '0123456789'), at(33), { bytes: 102 });
    expect(p.sends.map((s) => values(s.batch))).toEqual([['0123456789', '0123456789']]);
    p.sends[0]!.resolve();
    await tick();
    expect(p.sends.map((s) => values(s.batch))[1]).toEqual(['0123456789']);
    p.sends[1]!.resolve();
    await pipeline.drain();
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 33 } }]);
  });

  it('hands over the offsets of polls whose records were all skipped, with no records', async () => {
    const p = manualProducer();
    const tracker = new OffsetTracker();
    const pipeline = new SendPipeline(
      p.send,
      tracker,
      { maxBatchBytes: 1000, maxBatchRecords: 1000 },
      () => {},
    );
    await pipeline.add('t', [], at(9));
    expect(p.sends.map((s) => s.batch)).toEqual([[]]);
    p.sends[0]!.resolve();
    await pipeline.drain();
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 9 } }]);
  });

  it("splits at maxBatchRecords and stores each part's offsets from its marks as it is acknowledged", async () => {
    const p = manualProducer();
    const tracker = new OffsetTracker();
    const pipeline = new SendPipeline(p.send, tracker, { maxBatchBytes: 1000, maxBatchRecords: 2 }, () => {});
    const marks = [1, 2, 3].map((position) => ({
      key: partitionKey(file),
      entry: { partition: file, offset: { position } },
    }));
    await pipeline.add('t', msgs('a', 'b', 'c'), at(4), { marks });
    expect(p.sends.map((s) => values(s.batch))).toEqual([['a', 'b']]);
    p.sends[0]!.resolve();
    await tick();
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 2 } }]);
    expect(p.sends.map((s) => values(s.batch))).toEqual([['a', 'b'], ['c']]);
    p.sends[1]!.resolve();
    await pipeline.drain();
    // The poll's own offsets (a skipped record after `c` included) come with its last part.
    expect(tracker.take()).toEqual([{ partition: file, offset: { position: 4 } }]);
  });

  it("sends the next batch only once the previous one's offsets are stored", async () => {
    const p = manualProducer();
    const stores: Array<() => void> = [];
    const pipeline = new SendPipeline(
      p.send,
      new OffsetTracker(),
      { maxBatchBytes: 1000, maxBatchRecords: 1 },
      () => new Promise<void>((resolve) => stores.push(resolve)),
    );
    await pipeline.add('t', msgs('a', 'b'), at(2));
    p.sends[0]!.resolve();
    await tick();
    expect(stores).toHaveLength(1);
    expect(p.sends).toHaveLength(1);
    stores[0]!();
    await tick();
    expect(p.sends.map((s) => values(s.batch))).toEqual([['a'], ['b']]);
  });
});
