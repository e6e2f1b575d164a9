/**
 * `/metrics` in Prometheus text format, with Kafka Connect's metric names as
 * the JMX exporter maps them (dashes to underscores, connector and task as
 * labels). Every value is read from the worker's own counters at scrape time
 * (the ones `pipe status` shows), so the two agree and the record path does
 * no extra work.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { TaskCounters } from '../metrics.js';
import type { ConnectorView, WorkerView } from './worker-view.js';

type Kind = ConnectorView['kind'] | 'any';

interface TaskMetric {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  kind: Kind;
  read: (c: TaskCounters) => number;
}

/** Which counter feeds which Connect metric (Connect's name, dashes to underscores), for each kind of task. */
const TASK_METRICS: TaskMetric[] = [
  {
    name: 'source_record_poll_total',
    help: 'Records polled by the source task.',
    type: 'counter',
    kind: 'source',
    read: (c) => c.recordsIn,
  },
  {
    name: 'source_record_poll_rate',
    help: 'Records polled per second, between the last two status refreshes (as pipe status shows).',
    type: 'gauge',
    kind: 'source',
    read: (c) => c.rateIn,
  },
  {
    name: 'source_record_write_total',
    help: 'Records written to Kafka by the source task (after transforms).',
    type: 'counter',
    kind: 'source',
    read: (c) => c.recordsOut,
  },
  {
    name: 'source_record_write_rate',
    help: 'Records written per second, between the last two status refreshes (pipe status shows this rate).',
    type: 'gauge',
    kind: 'source',
    read: (c) => c.rateOut,
  },
  {
    name: 'sink_record_read_total',
    help: 'Records read from Kafka by the sink task.',
    type: 'counter',
    kind: 'sink',
    read: (c) => c.recordsIn,
  },
  {
    name: 'sink_record_read_rate',
    help: 'Records read per second, between the last two status refreshes.',
    type: 'gauge',
    kind: 'sink',
    read: (c) => c.rateIn,
  },
  {
    name: 'sink_record_send_total',
    help: 'Records handed to the sink connector (after transforms).',
    type: 'counter',
    kind: 'sink',
    read: (c) => c.recordsOut,
  },
  {
    name: 'sink_record_send_rate',
    help: 'Records handed to the sink connector per second, between the last two status refreshes (pipe status shows this rate).',
    type: 'gauge',
    kind: 'sink',
    read: (c) => c.rateOut,
  },
  {
    name: 'offset_commit_success_total',
    help: 'Offset commits that succeeded: source offsets stored, sink consumer offsets committed.',
    type: 'counter',
    kind: 'any',
    read: (c) => c.offsetCommits,
  },
  {
    name: 'offset_commit_failure_total',
    help: 'Offset commits that failed (retried at the next flush; a sink batch may be delivered again).',
    type: 'counter',
    kind: 'any',
    read: (c) => c.offsetCommitFailures,
  },
  {
    name: 'offset_commit_avg_time_ms',
    help: 'Average time of the successful offset commits, in milliseconds (NaN before the first).',
    type: 'gauge',
    kind: 'any',
    read: (c) => (c.offsetCommits === 0 ? Number.NaN : c.offsetCommitMsTotal / c.offsetCommits),
  },
  {
    name: 'offset_commit_max_time_ms',
    help: 'Longest successful offset commit, in milliseconds (NaN before the first).',
    type: 'gauge',
    kind: 'any',
    read: (c) => (c.offsetCommits === 0 ? Number.NaN : c.offsetCommitMsMax),
  },
  {
    name: 'batch_size_avg',
    help: 'Average records per poll (source) or per batch handed to the task (sink) (NaN before the first).',
    type: 'gauge',
    kind: 'any',
    read: (c) => (c.batches === 0 ? Number.NaN : c.batchRecordsTotal / c.batches),
  },
  {
    name: 'batch_size_max',
    help: 'Most records in one poll (source) or one batch handed to the task (sink).',
    type: 'gauge',
    kind: 'any',
    read: (c) => c.batchSizeMax,
  },
  {
    name: 'total_record_errors',
    help: 'Records that failed in conversion or transformation, skipped or not (under errors.tolerance: none the first fails the task).',
    type: 'counter',
    kind: 'any',
    read: (c) => c.recordErrors,
  },
  {
    name: 'total_records_skipped',
    help: 'Records skipped because of errors (errors.tolerance: all): pipe status counts them as failed.',
    type: 'counter',
    kind: 'any',
    read: (c) => c.recordsFailed,
  },
  {
    name: 'deadletterqueue_produce_requests',
    help: 'Requests writing dead letters to the dead letter topic (one per batch with dead letters).',
    type: 'counter',
    kind: 'any',
    read: (c) => c.deadLetterRequests,
  },
  {
    name: 'deadletterqueue_produce_failures',
    help: 'Dead letter writes that failed (the task then fails: nothing is committed past them).',
    type: 'counter',
    kind: 'any',
    read: (c) => c.deadLetterFailures,
  },
];

const STATES = ['unassigned', 'running', 'paused', 'stopped', 'failed', 'restarting', 'destroyed'] as const;

export function metricsRegistry(view: WorkerView): Registry {
  const registry = new Registry();
  for (const m of TASK_METRICS) {
    const Metric = m.type === 'counter' ? Counter : Gauge;
    new Metric({
      name: m.name,
      help: m.help,
      labelNames: ['connector', 'task'],
      registers: [registry],
      collect(this: Counter | Gauge) {
        this.reset();
        for (const c of view.connectors()) {
          if (m.kind !== 'any' && c.kind !== m.kind) continue;
          for (const t of c.tasks) {
            const labels = { connector: c.name, task: String(t.task) };
            if (this instanceof Gauge) this.set(labels, m.read(t.counters));
            else this.inc(labels, m.read(t.counters));
          }
        }
      },
    });
  }
  new Gauge({
    name: 'connector_status',
    help: "The connector's state: 1 for the state it is in, 0 for the others.",
    labelNames: ['connector', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of view.connectors()) {
        const now = c.state.toLowerCase();
        for (const s of STATES) this.set({ connector: c.name, status: s }, s === now ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'task_status',
    help: "The task's state: 1 for the state it is in, 0 for the others.",
    labelNames: ['connector', 'task', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of view.connectors())
        for (const t of c.tasks) {
          const now = t.state.toLowerCase();
          for (const s of STATES)
            this.set({ connector: c.name, task: String(t.task), status: s }, s === now ? 1 : 0);
        }
    },
  });
  new Gauge({
    name: 'sink_consumer_lag',
    help: "Records on the partition not yet read by the sink task, as of the task's last batch from it.",
    labelNames: ['connector', 'task', 'topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of view.connectors())
        for (const t of c.tasks)
          for (const p of t.counters.lagByPartition.values())
            this.set(
              { connector: c.name, task: String(t.task), topic: p.topic, partition: String(p.partition) },
              p.lag,
            );
    },
  });
  return registry;
}
