/**
 * Writes connector, task and worker status to the project's status topic in
 * Kafka Connect's shape (`status-connector-<name>`, `status-task-<name>-<n>`)
 * plus pipe's counters, the worker heartbeat `status-worker-<id>`, and the
 * connectors' active topics (`status-topic-<topic>:connector-<name>`, KIP-558)
 * so they outlive the worker, as Connect's do.
 */
import { messageOf } from '../errors.js';
import type { Producer } from '../kafka/client.js';
import {
  encodeJson,
  type RuntimeState,
  type StatusRecord,
  statusKey,
  type TaskMetrics,
  type TopicStatusRecord,
  type WorkerHeartbeatRecord,
} from '../state/records.js';

export class StatusStore {
  private queue: Promise<void> = Promise.resolve();
  /** While writes fail, only the first failure and the recovery are reported (an outage is one event). */
  private failing = false;
  /** connector → its topics recorded in the status topic: read when the worker became active, and written since. */
  private readonly topics = new Map<string, Set<string>>();

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    readonly workerId: string,
    private readonly onError: (message: string) => void,
  ) {}

  connector(name: string, state: RuntimeState, trace: string | null, generation: number): Promise<void> {
    const record: StatusRecord = { state, trace, worker_id: this.workerId, generation };
    return this.write(statusKey.connector(name), record);
  }

  task(
    name: string,
    task: number,
    state: RuntimeState,
    trace: string | null,
    generation: number,
    metrics: TaskMetrics,
  ): Promise<void> {
    const record: StatusRecord = { state, trace, worker_id: this.workerId, generation, metrics };
    return this.write(statusKey.task(name, task), record);
  }

  /** Tombstones a deleted connector's status, its tasks' and its active topics. */
  forget(name: string, tasks: number): Promise<void> {
    const keys = [
      statusKey.connector(name),
      ...Array.from({ length: tasks }, (_, i) => statusKey.task(name, i)),
      ...[...(this.topics.get(name) ?? [])].map((topic) => statusKey.topic(topic, name)),
    ];
    this.topics.delete(name);
    return this.send(keys.map((key) => ({ key, value: null })));
  }

  /** Adds the active topics read back from the status topic (what earlier workers recorded). */
  restoreTopics(read: ReadonlyMap<string, ReadonlySet<string>>): void {
    for (const [name, topics] of read) {
      const known = this.topics.get(name) ?? new Set<string>();
      for (const topic of topics) known.add(topic);
      this.topics.set(name, known);
    }
  }

  activeTopics(name: string): ReadonlySet<string> {
    return this.topics.get(name) ?? new Set();
  }

  /** Records the topics a task uses that the status topic does not hold yet; off the record path, at each status refresh. */
  noteTopics(name: string, task: number, used: Iterable<string>, now: number): Promise<void> {
    const known = this.topics.get(name) ?? new Set<string>();
    const fresh = [...used].filter((topic) => !known.has(topic));
    if (fresh.length === 0) return Promise.resolve();
    for (const topic of fresh) known.add(topic);
    this.topics.set(name, known);
    return this.send(
      fresh.map((topic) => {
        const record: TopicStatusRecord = {
          topic: { name: topic, connector: name, task, discoverTimestamp: now },
        };
        return { key: statusKey.topic(topic, name), value: encodeJson(record) };
      }),
    );
  }

  heartbeat(record: WorkerHeartbeatRecord | null): Promise<void> {
    return this.write(statusKey.worker(this.workerId), record);
  }

  private write(key: string, value: unknown): Promise<void> {
    return this.send([{ key, value: encodeJson(value) }]);
  }

  /**
   * Writes go out one after another in call order, so a tombstone is never
   * overtaken by an earlier state change of the same key. Status is advisory:
   * a failed write is reported, never fatal to the tasks.
   */
  private send(messages: Array<{ key: string; value: Buffer | null }>): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages });
        if (this.failing) {
          this.failing = false;
          this.onError('writing status works again');
        }
      } catch (err) {
        if (this.failing) return;
        this.failing = true;
        this.onError(`writing status failed: ${messageOf(err)}; said once until it works again`);
      }
    });
    return this.queue;
  }
}
