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

type Kind = ConnectorView['kind'];

/** Which counter feeds which Connect metric, for each kind of task. */
const RECORD_COUNTERS: Array<{ name: string; help: string; kind: Kind; read: (c: TaskCounters) => number }> =
  [
    {
      name: 'source_record_poll_total',
      help: 'Records polled by the source task.',
      kind: 'source',
      read: (c) => c.recordsIn,
    },
    {
      name: 'source_record_write_total',
      help: 'Records written to Kafka by the source task (after transforms).',
      kind: 'source',
      read: (c) => c.recordsOut,
    },
    {
      name: 'sink_record_read_total',
      help: 'Records read from Kafka by the sink task.',
      kind: 'sink',
      read: (c) => c.recordsIn,
    },
    {
      name: 'sink_record_send_total',
      help: 'Records handed to the sink connector (after transforms).',
      kind: 'sink',
      read: (c) => c.recordsOut,
    },
  ];

const STATES = ['unassigned', 'running', 'paused', 'stopped', 'failed', 'restarting', 'destroyed'] as const;

export function metricsRegistry(view: WorkerView): Registry {
  const registry = new Registry();
  for (const m of RECORD_COUNTERS) {
    new Counter({
      name: m.name,
      help: m.help,
      labelNames: ['connector', 'task'],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of view.connectors()) {
          if (c.kind !== m.kind) continue;
          for (const t of c.tasks) this.inc({ connector: c.name, task: String(t.task) }, m.read(t.counters));
        }
      },
    });
  }
  new Counter({
    name: 'total_record_errors',
    help: 'Records that failed in conversion, transformation or delivery (errors.tolerance: all counts them too).',
    labelNames: ['connector', 'task'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of view.connectors())
        for (const t of c.tasks)
          this.inc({ connector: c.name, task: String(t.task) }, t.counters.recordsFailed);
    },
  });
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
