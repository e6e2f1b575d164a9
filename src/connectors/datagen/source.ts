/**
 * `datagen` source: deterministic records for demos and benchmarks. Record
 * `seq` of a connector has the value struct `{seq, ts, payload}` (payload:
 * `payloadBytes` ASCII characters determined by `seq`) and, when `keys` is
 * set, the key `key-<seq mod keys>`. As Connect's taskConfigs split a
 * connector's work, the tasks split the sequence (task i of n makes i, i+n,
 * i+2n, ...), each under its own source partition `{task}`; together they stop
 * after `count` records (0: never) and keep to `rate` records per second, each
 * task making its share. The source offset `{seq, tasks}` is the task's last
 * record and the task count it was made under, so a restart continues each
 * task's share; after the task count changed, every task goes on from the
 * first record one of the old tasks had not made yet: none is skipped, the
 * ones the faster old tasks had made past it are made again.
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

interface Stored {
  seq: number;
  /** Offsets stored before the task count was recorded count as made under the current one. */
  tasks: number;
}

async function storedOf(
  context: SourceTaskContext,
  task: number,
  tasks: number,
): Promise<Stored | undefined> {
  const stored = await context.offset({ task });
  const seq = stored?.['seq'];
  if (typeof seq !== 'number') return undefined;
  const under = stored?.['tasks'];
  return { seq, tasks: typeof under === 'number' && under > 0 ? under : tasks };
}

/**
 * The first seq task `task` of `tasks` makes: after its own last record when
 * the task count is the same, else the first record of its share at or past
 * the first one an old task had not made (task 0 always existed, so its
 * offset tells the old count when this task is new).
 */
async function resumeAt(task: number, tasks: number, context: SourceTaskContext): Promise<number> {
  const own = await storedOf(context, task, tasks);
  if (own && own.tasks === tasks) return own.seq + tasks;
  const probe = own ?? (await storedOf(context, 0, tasks));
  if (!probe || probe.tasks === tasks) return task;
  const old = probe.tasks;
  const lasts = await Promise.all(Array.from({ length: old }, (_, j) => storedOf(context, j, old)));
  // An old task whose offset a task of the new count already replaced is counted from its start.
  const unmade = Math.min(...lasts.map((last, j) => (last?.tasks === old ? last.seq + old : j)));
  return unmade + ((((task - unmade) % tasks) + tasks) % tasks);
}

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
    this.next = await resumeAt(this.config.task, this.config.tasks, context);
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
        sourceOffset: { seq, tasks },
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
