/**
 * The embedded worker: everything `pipe run` and `pipe up` start. It makes
 * sure the state topics exist, opens the offset store, follows the configs
 * topic with a herder, refreshes task status with counters, and keeps a
 * heartbeat in the status topic while it runs (tombstoned at a clean stop, so
 * `apply` can tell that no worker runs).
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ConnectorSpec, ProjectSpec, TargetState } from '../config/model.js';
import type { Log } from '../connectors/api.js';
import { createConverter } from '../converters/index.js';
import { isPipeError, messageOf, PipeError } from '../errors.js';
import { present } from '../invariant.js';
import { createKafka, type Kafka, type Producer, unreachable } from '../kafka/client.js';
import { readClusterId, readGroupOffsets } from '../kafka/cluster-reads.js';
import { type GroupLease, joinGroupLease } from '../kafka/group-lease.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import {
  type ConnectorRecord,
  configKey,
  type DeletedConnectorRecord,
  encodeJson,
  type StateTopicNames,
  targetStateRecord,
  WORKER_HEARTBEAT_MS,
} from '../state/records.js';
import { foldStatusTopic, liveWorkers } from '../state/status-topic.js';
import { ensureStateTopics } from '../state/topics.js';
import { retry } from '../time/retry.js';
import { waitUntil } from '../time/wait-until.js';
import { type ConfigFollower, followConfigs } from './config-follower.js';
import { ConfigView, specJson } from './config-view.js';
import { Herder, type StateEvent } from './herder.js';
import { FileOffsetStore, KafkaOffsetStore, type OffsetStore } from './offset-store.js';
import type { ConverterFactory } from './record-converters.js';
import type { PipelineLimits } from './send-pipeline.js';
import { sinkGroupId } from './sink-runner.js';
import { StatusStore } from './status-store.js';

export type { StateEvent } from './herder.js';

export interface WorkerOptions {
  project: ProjectSpec;
  log: Log;
  onState?: (event: StateEvent) => void;
  workerId?: string;
  createConverter?: ConverterFactory;
  /** How often task counters are written to the status topic. */
  statusIntervalMs?: number;
  /** Longest a stop waits for tasks to send, flush and commit. */
  stopTimeoutMs?: number;
  sourceLimits?: PipelineLimits;
  /** false: source offsets only every offsetFlushIntervalMs (Kafka Connect's way), for benchmarks. */
  sourceOffsetsEachRequest?: boolean;
  /** Told when this worker becomes the project's active worker or a standby. */
  onRole?: (role: WorkerRole) => void;
  /** How long a dead active worker holds the project before a standby takes over (at least 6 s). */
  takeoverMs?: number;
  /** The URL of this worker's HTTP server, written in its heartbeat so a standby can forward to it. */
  advertisedUrl?: string;
}

export type WorkerRole = 'active' | 'standby';

/** One entry of Connect's `GET /connectors/{name}/offsets`: a source partition, or a sink's topic partition. */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown>;
}

export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** How long a config change over REST waits to be read back and carried out before it answers. */
const WRITE_TIMEOUT_MS = 30_000;

/** The broker's smallest session timeout: a standby takes over about this long after the active worker died. */
export const DEFAULT_TAKEOVER_MS = 6000;

export class Worker {
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping: Promise<void> | undefined;
  private project = '';

  private constructor(
    readonly id: string,
    readonly herder: Herder,
    /** Resolves once the configs topic was read to its end and its connectors started. */
    readonly ready: Promise<void>,
    private readonly follower: ConfigFollower,
    private readonly offsets: OffsetStore,
    private readonly status: StatusStore,
    private readonly producer: Producer,
    private readonly lease: GroupLease,
    private readonly kafka: Kafka,
    private readonly topics: StateTopicNames,
    private readonly configs: ConfigView,
  ) {}

  /** Whether this worker runs the project's connectors (one active worker per project; others stand by). */
  /** Records the running tasks have read and written so far: it changes while data moves. */
  recordsMoved(): number {
    let n = 0;
    for (const t of this.herder.tasks()) n += t.runner.counters.recordsIn + t.runner.counters.recordsOut;
    return n;
  }

  get role(): WorkerRole {
    return this.lease.held ? 'active' : 'standby';
  }

  static async start(o: WorkerOptions): Promise<Worker> {
    const { project, log } = o;
    const id = o.workerId ?? `${hostname()}:${process.pid}`;
    if (project.worker.exactlyOnce && project.worker.offsetStorage === 'file') {
      throw new PipeError('CONFIG_INVALID', 'worker.exactlyOnce needs worker.offsetStorage: kafka', {
        meta: { file: 'pipeline.config.yaml', field: 'worker.exactlyOnce' },
      });
    }
    // Before any connection: an offset file the worker cannot use ends the start with its reason,
    // and no open client is left to keep the process alive.
    const fileOffsets =
      project.worker.offsetStorage === 'file'
        ? await FileOffsetStore.open(resolve(project.dir, project.worker.offsetFile))
        : undefined;
    const kafka = createKafka(project.kafka, { role: 'worker' });
    const names = await prepareStateTopics(kafka, project);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const status = new StatusStore(producer, names.status, id, (m) => log.warn(m));
    const kafkaOffsets = fileOffsets
      ? undefined
      : await KafkaOffsetStore.open(kafka, names.offsets, (m) => log.warn(m)).catch(async (err: unknown) => {
          await producer.disconnect();
          throw err;
        });
    const offsets: OffsetStore = fileOffsets ?? present(kafkaOffsets, 'the Kafka offset store');
    const view = new ConfigView();
    const herder = new Herder(view, {
      kafka,
      connection: project.kafka,
      baseDir: project.dir,
      offsetFlushIntervalMs: project.worker.offsetFlushIntervalMs,
      offsets,
      status,
      producer,
      createConverter: o.createConverter ?? createConverter,
      log,
      onState: o.onState ?? (() => {}),
      sourceLimits: o.sourceLimits,
      ...(o.sourceOffsetsEachRequest === undefined
        ? {}
        : { sourceOffsetsEachRequest: o.sourceOffsetsEachRequest }),
      stopTimeoutMs: o.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
      ...(project.worker.exactlyOnce && kafkaOffsets
        ? { exactlyOnce: { offsets: kafkaOffsets, transactionalIdPrefix: project.state.topicPrefix } }
        : {}),
    });
    let caughtUp = false;
    const follower = await followConfigs(
      kafka,
      names.configs,
      (records) => {
        for (const r of records) view.apply(r);
        if (caughtUp) void herder.sync();
      },
      (m) => log.warn(m),
    );
    let beat = () => Promise.resolve();
    let worker: Worker | undefined;
    // A standby taking over reads the offsets the active worker stored while it stood by.
    const activate = async () => {
      // Its tasks must not start from offsets it could not read: it waits, and says why.
      await retry(() => offsets.reload(), {
        retries: Number.POSITIVE_INFINITY,
        retriable: () => true,
        maxMs: 5000,
        onRetry: (err, n, delayMs) =>
          log.warn(
            `taking over: the stored offsets could not be read (${messageOf(err)}); no task starts until they are, retry ${n} in ${delayMs} ms`,
          ),
      });
      await restoreActiveTopics(kafka, names.status, status, log);
      if (lease.held) await herder.activate();
    };
    const lease = await joinGroupLease(kafka, {
      groupId: workerGroupId(project.state.topicPrefix),
      topic: names.configs,
      sessionTimeoutMs: o.takeoverMs ?? DEFAULT_TAKEOVER_MS,
      onChange: (held) => {
        // A worker that gives up its lease because it stops is not standing by,
        // and a heartbeat now could land after the stop's last one.
        if (worker?.isStopping) return;
        o.onRole?.(held ? 'active' : 'standby');
        void beat();
        if (caughtUp) void (held ? activate() : herder.deactivate());
      },
      onTrouble: (m) => log.warn(m),
    });
    const ready = Promise.all([follower.caughtUp, lease.decided]).then(() => {
      caughtUp = true;
      return lease.held ? activate() : undefined;
    });
    worker = new Worker(id, herder, ready, follower, offsets, status, producer, lease, kafka, names, view);
    beat = worker.startTimers(project.name, o.statusIntervalMs ?? 2000, o.advertisedUrl);
    return worker;
  }

  /**
   * Pauses, resumes or stops a connector the way Kafka Connect's REST API
   * does: a `target-state-<name>` record in the configs topic, which this
   * worker (and any other) follows, and which the next `pipe plan` shows as
   * a difference from the YAML's `state:`.
   */
  setTargetState(name: string, target: TargetState): Promise<void> {
    return this.writeConfigs(`the target state of ${name}`, [
      { key: configKey.targetState(name), value: encodeJson(targetStateRecord(target)) },
    ]);
  }

  private async writeConfigs(what: string, messages: Array<{ key: string; value: Buffer | null }>) {
    try {
      await this.producer.send({ topic: this.topics.configs, acks: -1, messages });
    } catch (err) {
      throw new PipeError('KAFKA_REQUEST', `writing ${what} failed: ${messageOf(err)}`, {
        cause: err,
        retriable: true,
      });
    }
  }

  /**
   * The HTTP URL of the project's active worker, from the live heartbeats in
   * the status topic; undefined when no other live worker says it is active
   * and serves HTTP (a takeover under way, or none runs).
   */
  async activeWorkerUrl(): Promise<string | undefined> {
    const topic = this.topics.status;
    const snapshot = foldStatusTopic(topic, await readTopicToEnd(this.kafka, topic));
    return liveWorkers(snapshot, this.project, new Date()).find(
      (beat) => beat.role === 'active' && beat.worker_id !== this.id && beat.url !== undefined,
    )?.url;
  }

  /** The topics the connector's tasks used, as recorded in the status topic (by this worker or an earlier one). */
  activeTopics(name: string): ReadonlySet<string> {
    return this.status.activeTopics(name);
  }

  /** The connector's record in the configs topic, as this worker last read it. */
  recorded(name: string): ConnectorRecord | undefined {
    return this.configs.record(name);
  }

  /**
   * A connector created or changed through Connect's REST API: written where
   * `pipe apply` writes it (its target state with a new one), then awaited
   * until this worker read it back and, if active, runs it, as Connect
   * answers once its config log holds the change.
   */
  async putConnector(record: ConnectorRecord, withTarget: boolean): Promise<void> {
    const { name } = record.spec;
    await this.writeConfigs(`connector ${name}`, [
      ...(withTarget
        ? [{ key: configKey.targetState(name), value: encodeJson(targetStateRecord(record.spec.state)) }]
        : []),
      { key: configKey.connector(name), value: encodeJson(record) },
      { key: configKey.deletedConnector(name), value: null },
    ]);
    const json = JSON.stringify(record);
    await this.awaitChange(name, () => {
      if (JSON.stringify(this.configs.record(name)) !== json) return false;
      const running = this.herder.connectors().find((c) => c.name === name);
      return (
        !this.herder.isServing || (running !== undefined && specJson(running.spec) === specJson(record.spec))
      );
    });
  }

  /** A connector deleted through Connect's REST API, with the record that tells the next plan so. */
  async deleteConnector(name: string, marker: DeletedConnectorRecord): Promise<void> {
    await this.writeConfigs(`the deletion of connector ${name}`, [
      { key: configKey.connector(name), value: null },
      { key: configKey.targetState(name), value: null },
      { key: configKey.deletedConnector(name), value: encodeJson(marker) },
    ]);
    await this.awaitChange(
      name,
      () => this.configs.record(name) === undefined && !this.herder.connectors().some((c) => c.name === name),
    );
  }

  private async awaitChange(name: string, done: () => boolean): Promise<void> {
    const ok = await waitUntil(() => (done() ? true : undefined), {
      timeoutMs: WRITE_TIMEOUT_MS,
      intervalMs: 20,
    });
    if (!ok)
      throw new PipeError(
        'TIMEOUT',
        `the change of connector ${name} was written, but this worker did not carry it out within ${WRITE_TIMEOUT_MS} ms`,
        { retriable: true },
      );
  }

  /** A source's stored offsets, or a sink's consumer group offsets, in Connect's (KIP-875) shape. */
  async offsetsOf(spec: Pick<ConnectorSpec, 'kind' | 'name'>): Promise<ConnectorOffset[]> {
    if (spec.kind === 'source') return this.offsets.list(spec.name);
    const committed = await readGroupOffsets(this.kafka, sinkGroupId(spec.name));
    return committed.map((o) => ({
      partition: { kafka_topic: o.topic, kafka_partition: o.partition },
      offset: { kafka_offset: Number(o.offset) },
    }));
  }

  clusterId(): Promise<string> {
    return readClusterId(this.kafka);
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Stops every task (sending, flushing and committing what they took), then leaves. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      await this.follower.stop();
      await this.herder.stopAll();
      // After the tasks stopped: a standby takes over at once, with the offsets this worker stored last.
      await this.lease.release();
      await this.offsets.close();
      await this.status.heartbeat(null);
      await this.producer.disconnect();
    })();
    return this.stopping;
  }

  /** Starts the heartbeat and the status refresh; returns the heartbeat, for a beat at each change of role. */
  private startTimers(
    project: string,
    statusIntervalMs: number,
    url: string | undefined,
  ): () => Promise<void> {
    const startedAt = new Date().toISOString();
    this.project = project;
    const beat = () =>
      this.status.heartbeat({
        worker_id: this.id,
        project,
        startedAt,
        heartbeatAt: new Date().toISOString(),
        role: this.role,
        ...(url === undefined ? {} : { url }),
      });
    void beat();
    this.timers.push(setInterval(beat, WORKER_HEARTBEAT_MS));
    this.timers.push(
      setInterval(() => {
        const now = Date.now();
        for (const t of this.herder.tasks()) {
          void this.status.noteTopics(t.connector, t.task, t.runner.counters.topics, now);
          void this.status.task(
            t.connector,
            t.task,
            t.state,
            t.trace,
            t.generation,
            t.runner.counters.snapshot(now),
          );
        }
      }, statusIntervalMs),
    );
    return beat;
  }
}

/**
 * The active topics earlier workers recorded, so `GET …/topics` answers them
 * after a restart or a takeover. Advisory: a status topic that cannot be
 * read leaves them to be found again as records flow.
 */
async function restoreActiveTopics(kafka: Kafka, topic: string, status: StatusStore, log: Log) {
  try {
    status.restoreTopics(foldStatusTopic(topic, await readTopicToEnd(kafka, topic)).topics);
  } catch (err) {
    log.warn(`the connectors' active topics could not be read from ${topic}: ${messageOf(err)}`);
  }
}

/** The consumer group whose one-partition lease picks the project's active worker. */
export function workerGroupId(topicPrefix: string): string {
  return `${topicPrefix}.workers`;
}

async function prepareStateTopics(kafka: Kafka, project: ProjectSpec) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await ensureStateTopics(admin, project.state);
  } catch (err) {
    throw isPipeError(err) ? err : unreachable(project.kafka, err);
  } finally {
    await admin.disconnect();
  }
}
