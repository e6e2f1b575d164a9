/**
 * `datagen` source: deterministic records for demos and benchmarks. Record
 * `seq` of a connector has the value struct `{seq, ts, payload}` (payload:
 * `payloadBytes` ASCII characters determined by `seq`) and, when `keys` is
 * set, the key `key-<seq mod keys>`. Tasks share the sequence (task i makes
 * i, i+n, i+2n, ...), stop after `count` records in all (0: never) and keep
 * to `rate` records per second in all when it is set. The source offset
 * `{seq}` is the last record made, so a restart continues the sequence.
 */
import type { DatagenSourceConfig } from '../../config/types.gen.js';
import { type ConnectSchema, Schemas } from '../../converters/index.js';
import {
  pause,
  type SourceConnector,
  type SourcePartition,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../api.js';

export interface DatagenTaskConfig {
  topic: string;
  task: number;
  tasks: number;
  count: number;
  /** This task's share of the rate, records per second; 0 for unthrottled. */
  rate: number;
  payloadBytes: number;
  keys: number;
}

const DATAGEN_VALUE_SCHEMA: ConnectSchema = Schemas.struct(
  { seq: Schemas.int64(), ts: Schemas.int64(), payload: Schemas.string() },
  { name: 'pipe.datagen.Record' },
);
const KEY_SCHEMA: ConnectSchema = Schemas.string();
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_BATCH = 2000;

export const datagenSource: SourceConnector<DatagenSourceConfig, DatagenTaskConfig> = {
  kind: 'source',
  type: 'datagen',
  taskConfigs: (config, maxTasks, topic) =>
    Array.from({ length: maxTasks }, (_, task) => ({
      topic,
      task,
      tasks: maxTasks,
      count: config.count ?? 0,
      rate: config.rate === undefined ? 0 : config.rate / maxTasks,
      payloadBytes: config.payloadBytes ?? 100,
      keys: config.keys ?? 0,
    })),
  createTask: () => new DatagenSourceTask(),
};

/** The payload of record `seq`: the same text for the same sequence number, on every run. */
export function payloadOf(
  seq: number,
  bytes: number,
  base = ALPHABET.repeat(Math.ceil(bytes / 36) + 1),
): string {
  const start = seq % ALPHABET.length;
  return base.slice(start, start + bytes);
}

export class DatagenSourceTask implements SourceTask<DatagenTaskConfig> {
  private config!: DatagenTaskConfig;
  private context!: SourceTaskContext;
  private partition: SourcePartition = {};
  private next = 0;
  private base = '';
  private startedAt = 0;
  private made = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async start(config: DatagenTaskConfig, context: SourceTaskContext): Promise<void> {
    this.config = config;
    this.context = context;
    this.partition = { task: this.config.task };
    const stored = await context.offset(this.partition);
    const last = stored?.['seq'];
    this.next = typeof last === 'number' ? last + this.config.tasks : this.config.task;
    this.base = ALPHABET.repeat(Math.ceil(this.config.payloadBytes / ALPHABET.length) + 1);
    this.startedAt = this.now();
  }

  async poll(): Promise<SourceRecord[]> {
    const { count, tasks, rate, topic, keys, payloadBytes } = this.config;
    const remaining = count === 0 ? MAX_BATCH : Math.ceil((count - this.next) / tasks);
    if (remaining <= 0) {
      await pause(1000, this.context.signal);
      return [];
    }
    let n = Math.min(MAX_BATCH, remaining);
    if (rate > 0) {
      const due = Math.floor(((this.now() - this.startedAt) / 1000) * rate) - this.made;
      if (due <= 0) {
        await pause(Math.max(1, Math.ceil(1000 / rate)), this.context.signal);
        return [];
      }
      n = Math.min(n, due);
    }
    const ts = this.now();
    const records: SourceRecord[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const seq = this.next;
      this.next += tasks;
      records[i] = {
        sourcePartition: this.partition,
        sourceOffset: { seq },
        topic,
        keySchema: keys > 0 ? KEY_SCHEMA : null,
        key: keys > 0 ? `key-${seq % keys}` : null,
        valueSchema: DATAGEN_VALUE_SCHEMA,
        value: { seq, ts, payload: payloadOf(seq, payloadBytes, this.base) },
      };
    }
    this.made += n;
    return records;
  }

  async stop(): Promise<void> {}
}
