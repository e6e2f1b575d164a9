import { describe, expect, it, vi } from 'vitest';
import type { ConnectorSpec } from '../config/model.js';
import type { SourceRecord, SourceTask } from '../connectors/api.js';
import type { Converter } from '../converters/index.js';
import { PipeError } from '../errors.js';
import type { RuntimeState } from '../state/records.js';
import type { OffsetStore } from './offset-store.js';
import type { OffsetEntry } from './offset-tracker.js';
import type { TopicMessages } from './send-pipeline.js';
import { type SourceRunnerOptions, SourceTaskRunner } from './source-runner.js';

const partition = { filename: 'in.txt' };
const line = (value: string, position: number): SourceRecord => ({
  sourcePartition: partition,
  sourceOffset: { position },
  topic: 'out',
  keySchema: null,
  key: null,
  valueSchema: { type: 'string', optional: false },
  value,
});

/** A task that returns the scripted polls in order, then waits until stopped. */
function scriptedTask(polls: SourceRecord[][]): SourceTask & { polled: number } {
  let signal: AbortSignal;
  return {
    polled: 0,
    async start(_config, context) {
      signal = context.signal;
    },
    async poll() {
      this.polled++;
      const next = polls.shift();
      if (next) return next;
      await new Promise((r) => (signal.aborted ? r(undefined) : signal.addEventListener('abort', r)));
      return [];
    },
    async stop() {},
  };
}

/** Upper-cases strings; fails on the value "bad". */
const upper: Converter = {
  toConnectData: () => ({ schema: null, value: null }),
  fromConnectData: (_topic, _schema, value) => {
    if (value === 'bad') throw new PipeError('CONVERTER_DATA', 'cannot convert "bad"');
    return value === null ? null : Buffer.from(String(value).toUpperCase());
  },
};

function producerDouble(options: { fail?: boolean } = {}) {
  const sent: TopicMessages[] = [];
  const producer = {
    async send(topicMessages: TopicMessages) {
      if (options.fail) throw new Error('broker unreachable');
      sent.push(topicMessages);
    },
  };
  return { sent, producer };
}

function memoryOffsets(
  options: { failures?: number } = {},
): OffsetStore & { stored: OffsetEntry[][]; attempts: number } {
  const stored: OffsetEntry[][] = [];
  let failures = options.failures ?? 0;
  return {
    stored,
    attempts: 0,
    get: () => null,
    list: () => [],
    async put(_c, entries) {
      this.attempts++;
      if (failures-- > 0) throw new Error('offsets topic unavailable');
      stored.push(entries);
    },
    async drop() {},
    async reload() {},
    async refresh() {},
    async close() {},
  };
}

/** The offsets topic's records for some offsets, as the Kafka offset store writes them (key simplified). */
function offsetsTopicRecords(_connector: string, entries: OffsetEntry[]) {
  return {
    topic: 'offsets',
    messages: entries.map((e) => ({ key: Buffer.from('k'), value: Buffer.from(JSON.stringify(e.offset)) })),
  };
}

function spec(tolerance: 'none' | 'all', retries: number): ConnectorSpec {
  return { transforms: [], errors: { tolerance, retries } } as unknown as ConnectorSpec;
}

function runner(
  task: SourceTask,
  producer: SourceRunnerOptions['producer'],
  offsets: OffsetStore,
  tolerance: 'none' | 'all' = 'none',
  retries = 0,
  extra: Partial<SourceRunnerOptions> = {},
) {
  const states: Array<[RuntimeState, string | null]> = [];
  let flush: () => void = () => {};
  const r = new SourceTaskRunner({
    id: { connector: 'src', task: 0 },
    baseDir: '/',
    log: { info: () => {}, warn: () => {}, error: () => {} },
    onState: (s, t) => states.push([s, t]),
    offsetFlushIntervalMs: 1000,
    every: (_ms, fn) => {
      flush = fn;
      return () => {};
    },
    spec: spec(tolerance, retries),
    task,
    config: {},
    producer,
    converters: { key: upper, value: upper, header: upper },
    offsets,
    ...extra,
  });
  return { r, states, flush: () => flush() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('SourceTaskRunner', () => {
  it('sends converted records with null keys and stores the offset once the batch is acknowledged', async () => {
    const { sent, producer } = producerDouble();
    const offsets = memoryOffsets();
    const { r, states } = runner(scriptedTask([[line('aaa', 4), line('bbb', 8)]]), producer, offsets);
    const done = r.run();
    await until(() => r.counters.recordsOut === 2);
    expect(sent).toEqual([
      [
        {
          topic: 'out',
          messages: [
            { key: null, value: Buffer.from('AAA') },
            { key: null, value: Buffer.from('BBB') },
          ],
        },
      ],
    ]);
    await until(() => offsets.stored.length === 1);
    expect(offsets.stored[0]).toEqual([{ partition, offset: { position: 8 } }]);
    await r.stop(1000);
    await done;
    expect(states.map(([s]) => s)).toEqual(['RUNNING', 'UNASSIGNED']);
  });

  it('writes headers with the header converter', async () => {
    const { sent, producer } = producerDouble();
    const record = { ...line('aaa', 4), headers: [{ key: 'origin', schema: null, value: 'file' }] };
    const { r } = runner(scriptedTask([[record]]), producer, memoryOffsets());
    const done = r.run();
    await until(() => r.counters.recordsOut === 1);
    await r.stop(1000);
    await done;
    expect(sent[0]?.[0]?.messages[0]?.headers).toEqual({ origin: [Buffer.from('FILE')] });
  });

  it('with offsetsEachRequest false, stores offsets only at the interval flush', async () => {
    const { producer } = producerDouble();
    const offsets = memoryOffsets();
    const { r, flush } = runner(scriptedTask([[line('aaa', 4)]]), producer, offsets, 'none', 0, {
      offsetsEachRequest: false,
    });
    const done = r.run();
    await until(() => r.counters.recordsOut === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(offsets.attempts).toBe(0);
    flush();
    await until(() => offsets.stored.length === 1);
    await r.stop(1000);
    await done;
  });

  it('in a transaction, sends each request with its offsets records and writes no offsets of its own', async () => {
    const transactions: Array<Array<{ topic: string; messages: unknown[] }>> = [];
    const remembered: OffsetEntry[][] = [];
    let fenced = 0;
    let refreshed = 0;
    const offsets = memoryOffsets();
    const { r } = runner(scriptedTask([[line('aaa', 4), line('bbb', 8)]]), undefined, offsets, 'none', 0, {
      transactions: {
        producer: {
          fence: async () => {
            fenced++;
          },
          send: async (batch) => {
            transactions.push(batch);
          },
        },
        offsets: {
          records: offsetsTopicRecords,
          remember: (_connector, entries) => {
            if (entries.length > 0) remembered.push(entries);
          },
          refresh: async () => {
            refreshed++;
          },
        },
      },
    });
    const done = r.run();
    await until(() => r.counters.recordsOut === 2);
    await until(() => remembered.length === 1);
    expect([fenced, refreshed]).toEqual([1, 1]);
    expect(transactions).toEqual([
      [
        { topic: 'out', messages: [expect.anything(), expect.anything()] },
        { topic: 'offsets', messages: [{ key: Buffer.from('k'), value: Buffer.from('{"position":8}') }] },
      ],
    ]);
    expect(remembered).toEqual([[{ partition, offset: { position: 8 } }]]);
    await r.stop(1000);
    await done;
    expect(offsets.attempts).toBe(0);
  });

  describe('with the Kafka offset store', () => {
    const six = () => [1, 2, 3, 4, 5, 6].map((n) => line(`l${n}`, n));
    const at = (position: number) => [{ partition, offset: { position } }];
    /** Records and offsets topic on one partition each, led by the brokers given. */
    const facts = (leaders: { out: number; offsets: number }) => ({
      topicFacts: async (topic: string) => ({
        partitions: 1,
        maxMessageBytes: undefined,
        leaders: [topic === 'offsets' ? leaders.offsets : leaders.out],
      }),
    });
    function kafkaOffsets(events: string[]) {
      const remembered: OffsetEntry[][] = [];
      const carriedOffsets: NonNullable<SourceRunnerOptions['carriedOffsets']> = {
        topic: 'offsets',
        records: offsetsTopicRecords,
        remember: (_connector, entries) => {
          remembered.push(entries);
        },
      };
      const offsets = memoryOffsets();
      const put = offsets.put.bind(offsets);
      offsets.put = async (connector, entries) => {
        events.push(`put ${JSON.stringify(entries[0]?.offset)}`);
        await put(connector, entries);
      };
      return { carriedOffsets, offsets, remembered };
    }
    function recordingProducer(events: string[]) {
      const { sent, producer } = producerDouble();
      const send = producer.send;
      producer.send = async (batch) => {
        events.push(batch.map((t) => `${t.topic}:${t.messages.length}`).join(' '));
        await send(batch);
      };
      return { sent, producer };
    }
    const limits = { maxBatchBytes: 1_000_000, maxBatchRecords: 2 };

    it("sends the offsets of an acknowledged request in the next request, when the offsets topic's partition has the records' leader", async () => {
      const events: string[] = [];
      const { sent, producer } = recordingProducer(events);
      const { carriedOffsets, offsets, remembered } = kafkaOffsets(events);
      const { r } = runner(scriptedTask([six()]), producer, offsets, 'none', 0, {
        carriedOffsets,
        limits,
        ...facts({ out: 1, offsets: 1 }),
      });
      const done = r.run();
      await until(() => offsets.stored.length === 1);
      // The last request has none after it: its offsets are written on their own, at once.
      expect(events).toEqual(['out:2', 'out:2 offsets:1', 'out:2 offsets:1', 'put {"position":6}']);
      expect(sent[1]?.[1]).toEqual({
        topic: 'offsets',
        messages: [{ key: Buffer.from('k'), value: Buffer.from('{"position":2}'), partition: 0 }],
      });
      expect(remembered).toEqual([at(2), at(4)]);
      expect(r.counters.offsetCommits).toBe(3);
      await r.stop(1000);
      await done;
    });

    it("writes the offsets on their own before the next request when the offsets topic's partition has another leader", async () => {
      const events: string[] = [];
      const { producer } = recordingProducer(events);
      const { carriedOffsets, offsets, remembered } = kafkaOffsets(events);
      const { r } = runner(scriptedTask([six()]), producer, offsets, 'none', 0, {
        carriedOffsets,
        limits,
        ...facts({ out: 1, offsets: 2 }),
      });
      const done = r.run();
      await until(() => offsets.stored.length === 3);
      expect(events).toEqual([
        'out:2',
        'put {"position":2}',
        'out:2',
        'put {"position":4}',
        'out:2',
        'put {"position":6}',
      ]);
      expect(remembered).toEqual([]);
      await r.stop(1000);
      await done;
    });

    it('hands carried offsets back when their request fails, and stores them when the task fails', async () => {
      const events: string[] = [];
      const { producer } = recordingProducer(events);
      const send = producer.send;
      producer.send = async (batch) => {
        if (batch.length > 1) throw new PipeError('KAFKA_REQUEST', 'refused');
        await send(batch);
      };
      const { carriedOffsets, offsets, remembered } = kafkaOffsets(events);
      const { r } = runner(scriptedTask([six()]), producer, offsets, 'none', 0, {
        carriedOffsets,
        limits,
        ...facts({ out: 1, offsets: 1 }),
      });
      await r.run();
      expect(events).toEqual(['out:2', 'put {"position":2}']);
      expect(remembered).toEqual([]);
      expect(offsets.stored).toEqual([at(2)]);
    });
  });

  it('keeps offsets whose storing failed and stores them at the next flush', async () => {
    const { producer } = producerDouble();
    const offsets = memoryOffsets({ failures: 1 });
    const { r, flush } = runner(scriptedTask([[line('aaa', 4)]]), producer, offsets);
    const done = r.run();
    await until(() => r.counters.recordsOut === 1);
    await until(() => offsets.attempts === 1);
    expect(offsets.stored).toEqual([]);
    flush();
    await until(() => offsets.stored.length === 1);
    expect(offsets.stored[0]).toEqual([{ partition, offset: { position: 4 } }]);
    await r.stop(1000);
    await done;
  });

  it('sends the first request of a large poll before converting the rest, each storing its own offsets', async () => {
    const events: string[] = [];
    const { producer } = producerDouble();
    const send = producer.send;
    producer.send = async (batch) => {
      events.push(`send ${batch.map((t) => t.messages.map((m) => m.value?.toString()).join(',')).join(' ')}`);
      await send(batch);
    };
    const offsets = memoryOffsets();
    const put = offsets.put.bind(offsets);
    offsets.put = async (connector, entries) => {
      events.push(`put ${JSON.stringify(entries[0]?.offset)}`);
      await put(connector, entries);
    };
    const logged: Converter = {
      ...upper,
      fromConnectData: (topic, schema, value) => {
        events.push(`convert ${String(value)}`);
        return upper.fromConnectData(topic, schema, value);
      },
    };
    const poll = ['a', 'b', 'c', 'd', 'e'].map((v, i) => line(v, i + 1));
    const { r } = runner(scriptedTask([poll]), producer, offsets, 'none', 0, {
      limits: { maxBatchBytes: 1_000_000, maxBatchRecords: 2 },
      converters: { key: upper, value: logged, header: upper },
    });
    const done = r.run();
    await until(() => offsets.stored.length === 3);
    // A request's worth is known complete when the next record does not fit: it goes before more is converted.
    expect(events).toEqual([
      'convert a',
      'convert b',
      'convert c',
      'send A,B',
      'put {"position":2}',
      'convert d',
      'convert e',
      'send C,D',
      'put {"position":4}',
      'send E',
      'put {"position":5}',
    ]);
    await r.stop(1000);
    await done;
  });

  it('at stop, sends what was polled and stores its offset', async () => {
    const { producer } = producerDouble();
    const offsets = memoryOffsets();
    const { r } = runner(scriptedTask([[line('aaa', 4)]]), producer, offsets);
    const done = r.run();
    await until(() => r.counters.recordsIn === 1);
    await r.stop(1000);
    await done;
    expect(offsets.stored.flat()).toEqual([{ partition, offset: { position: 4 } }]);
  });

  it('fails the task with the converter’s error when tolerance is none', async () => {
    const { producer } = producerDouble();
    const { r, states } = runner(scriptedTask([[line('bad', 4)]]), producer, memoryOffsets());
    await r.run();
    expect(states.at(-1)?.[0]).toBe('FAILED');
    expect(states.at(-1)?.[1]).toMatch(/CONNECTOR_FAILED: value converter failed: cannot convert "bad"/);
  });

  it('skips and counts a record the converter refuses when tolerance is all, and moves the offset past it', async () => {
    const { sent, producer } = producerDouble();
    const offsets = memoryOffsets();
    const { r } = runner(scriptedTask([[line('bad', 4), line('ok', 7)]]), producer, offsets, 'all');
    const done = r.run();
    await until(() => r.counters.recordsOut === 1);
    await r.stop(1000);
    await done;
    expect(sent.flat().flatMap((t) => t.messages.map((m) => m.value?.toString()))).toEqual(['OK']);
    expect(r.counters.recordsFailed).toBe(1);
    expect(r.counters.lastError).toMatch(/cannot convert/);
    expect(offsets.stored.flat().at(-1)).toEqual({ partition, offset: { position: 7 } });
  });

  it("sends a record whose batch is exactly the topic's max.message.bytes, and skips one a byte over without sending it", async () => {
    const { sent, producer } = producerDouble();
    const topicFacts = async () => ({ partitions: 1, maxMessageBytes: 1000 });
    // 930 bytes of value make a batch of 1,000: a 61-byte header, then the record's length (2), attributes
    // and zero deltas (3), null key (1), value length (2) and header count (1).
    const polls = [[line('x'.repeat(930), 1), line('y'.repeat(931), 2), line('z', 3)]];
    const { r } = runner(scriptedTask(polls), producer, memoryOffsets(), 'all', 0, { topicFacts });
    const done = r.run();
    await until(() => r.counters.recordsOut === 2);
    await r.stop(1000);
    await done;
    const values = sent.flat().flatMap((t) => t.messages.map((m) => m.value?.toString()));
    expect(values).toEqual(['X'.repeat(930), 'Z']);
    expect(r.counters.recordsFailed).toBe(1);
    expect(r.counters.lastError).toMatch(
      /record of 1,001 bytes exceeds the topic's max\.message\.bytes 1,000/,
    );
  });

  it('stores no offset for records the broker never acknowledged, and fails', async () => {
    const { producer } = producerDouble({ fail: true });
    const offsets = memoryOffsets();
    const { r, states } = runner(scriptedTask([[line('aaa', 4)], [line('bbb', 8)]]), producer, offsets);
    await r.run();
    expect(states.at(-1)?.[1]).toMatch(/broker unreachable/);
    expect(offsets.stored).toEqual([]);
  });

  it('polls nothing while paused and carries on after resume', async () => {
    const { producer } = producerDouble();
    const task = scriptedTask([[line('aaa', 4)]]);
    const { r, states } = runner(task, producer, memoryOffsets());
    r.pause();
    const done = r.run();
    // PAUSED is reported once the task started; from then on the loop waits for the resume.
    await until(() => states.length === 1);
    await Promise.resolve();
    expect(task.polled).toBe(0);
    r.resume();
    await until(() => r.counters.recordsOut === 1);
    await r.stop(1000);
    await done;
    expect(states.map(([s]) => s)).toEqual(['PAUSED', 'RUNNING', 'UNASSIGNED']);
  });

  it('stops within its timeout even when the broker never answers', async () => {
    const producer = { send: () => new Promise<void>(() => {}) };
    const { r } = runner(scriptedTask([[line('aaa', 4)]]), producer, memoryOffsets());
    void r.run();
    await until(() => r.counters.recordsIn === 1);
    // The stop timeout runs on a fake clock: the stop ends when it elapses, not when the send answers.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let stopped = false;
      const stopping = r.stop(100).then(() => {
        stopped = true;
      });
      await vi.advanceTimersByTimeAsync(100);
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect(r.unacknowledged).toBe(1);
  });

  it('retries a failing poll errors.retries times before failing the task', async () => {
    const failing = (failures: number): SourceTask => {
      const task = scriptedTask([[line('aaa', 4)]]);
      const poll = task.poll.bind(task);
      let left = failures;
      task.poll = async () => {
        if (left-- > 0) throw new Error('disk unavailable');
        return poll();
      };
      return task;
    };
    const { producer } = producerDouble();
    const recovered = runner(failing(1), producer, memoryOffsets(), 'none', 1);
    const done = recovered.r.run();
    await until(() => recovered.r.counters.recordsOut === 1);
    await recovered.r.stop(1000);
    await done;

    const { r, states } = runner(failing(1), producer, memoryOffsets(), 'none', 0);
    await r.run();
    expect(states.at(-1)?.[1]).toMatch(/disk unavailable/);
  });
});
