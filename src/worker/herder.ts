/**
 * Starts, reconfigures, pauses and stops connectors to match the configs
 * topic, one change at a time, and reports every connector and task state
 * change to the status topic and to its listener.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectorSpec, KafkaConnection } from '../config/model.js';
import type { Log, LogContext } from '../connectors/api.js';
import { builtInSink, builtInSource } from '../connectors/index.js';
import { isPipeError, messageOf, PipeError } from '../errors.js';
import { present } from '../invariant.js';
import { type Kafka, type Producer, unreachable } from '../kafka/client.js';
import { createDataProducer } from '../kafka/data-producer.js';
import { readTopicFacts, type TopicFacts } from '../kafka/topic-facts.js';
import { createTransactionalProducer } from '../kafka/transactional-producer.js';
import type { RuntimeState } from '../state/records.js';
import { unsealSpec } from '../state/secrets.js';
import { backoffMs, isRetriable } from '../time/retry.js';
import {
  type ConfigView,
  type HerderAction,
  reconcile,
  specJson,
  type WantedConnector,
} from './config-view.js';
import { KafkaOffsetStore, type OffsetStore } from './offset-store.js';
import { type ConverterFactory, recordConverters } from './record-converters.js';
import type { PipelineLimits } from './send-pipeline.js';
import { SinkTaskRunner } from './sink-runner.js';
import { SourceTaskRunner } from './source-runner.js';
import type { StatusStore } from './status-store.js';
import { type TaskRunner, traceOf, within } from './task-runner.js';

export interface StateEvent {
  connector: string;
  /** Absent for the connector itself. */
  task?: number;
  state: RuntimeState;
  trace: string | null;
}

export interface HerderOptions {
  kafka: Kafka;
  /** For source tasks' producers, which use the data-path client (src/kafka/data-producer.ts). */
  connection: KafkaConnection;
  baseDir: string;
  offsetFlushIntervalMs: number;
  offsets: OffsetStore;
  status: StatusStore;
  /** Shared producer for dead letters. */
  producer: Producer;
  createConverter: ConverterFactory;
  log: Log;
  onState: (event: StateEvent) => void;
  sourceLimits?: PipelineLimits;
  /** false: source offsets only every offsetFlushIntervalMs (Kafka Connect's way), for benchmarks. */
  sourceOffsetsEachRequest?: boolean;
  stopTimeoutMs: number;
  /** `worker.exactlyOnce`: sources write records and offsets in one transaction. */
  exactlyOnce?: {
    offsets: KafkaOffsetStore;
    /** Task `n` of connector `c` uses `<prefix>-<c>-<n>`, stable across restarts so it fences a dead worker's. */
    transactionalIdPrefix: string;
  };
}

interface TaskRun {
  runner: TaskRunner;
  state: RuntimeState;
  trace: string | null;
  done: Promise<void>;
  /** Makes a fresh runner for this task, for a restart after a retriable failure. */
  create: () => CreatedRunner;
  /** Restarts so far after retriable failures; the next one waits longer. */
  restarts: number;
  restartTimer?: NodeJS.Timeout;
}

interface CreatedRunner {
  runner: TaskRunner;
  /** Releases what the runner used and does not own (a source task's producer). */
  close?: () => Promise<void>;
}

interface ConnectorRun {
  spec: ConnectorSpec;
  /** The connector's own state, as last reported. */
  state: RuntimeState;
  specJson: string;
  target: WantedConnector['target'];
  generation: number;
  tasks: TaskRun[];
}

/** What a restart request restarts: the connector itself, and these tasks. */
export interface RestartPlan {
  connector: boolean;
  tasks: number[];
}

export class Herder {
  private readonly running = new Map<string, ConnectorRun>();
  private readonly generations = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closed = false;
  /** Only the project's active worker runs connectors (src/kafka/group-lease.ts); a standby waits. */
  private active = false;
  private serving = false;
  /** Whether a sync ran since this worker became active: the offsets it loaded then may be older than a new connector's. */
  private synced = false;

  constructor(
    private readonly view: ConfigView,
    private readonly options: HerderOptions,
  ) {}

  /**
   * Brings the running connectors in line with the view, after any change
   * already under way. Never rejects: a step that fails is reported and the
   * next steps, and every later sync, still run.
   */
  sync(): Promise<void> {
    if (this.scheduled) return this.queue;
    this.scheduled = true;
    return this.enqueue(async () => {
      this.scheduled = false;
      if (this.closed || !this.active) return;
      const running = new Map(
        [...this.running].map(([n, r]) => [n, { specJson: r.specJson, target: r.target }]),
      );
      for (const action of reconcile(this.view.wanted(), running)) {
        try {
          await this.carryOut(action);
        } catch (err) {
          this.options.log.error(`${action.type} failed: ${messageOf(err)}`, {
            connector: action.name,
            ...codeOf(err),
          });
        }
      }
      this.synced = true;
    });
  }

  /** Current task runners, for status reporting and tests. */
  tasks(): Array<{ connector: string; generation: number; task: number } & TaskRun> {
    return [...this.running].flatMap(([connector, run]) =>
      run.tasks.map((t, task) => ({ connector, generation: run.generation, task, ...t })),
    );
  }

  /** This worker became the project's active one: run what the configs topic says. */
  activate(): Promise<void> {
    this.active = true;
    return this.sync().then(() => {
      this.serving = this.active;
    });
  }

  /**
   * Whether this worker runs the project's connectors: active, and their
   * first start since it became so is done. Readiness waits for this, not
   * for the lease alone, which a worker taking over holds before it started anything.
   */
  get isServing(): boolean {
    return this.serving;
  }

  /** Another worker is active now: stop every task (storing what was acknowledged) and wait. */
  deactivate(): Promise<void> {
    this.active = false;
    this.serving = false;
    this.synced = false;
    return this.enqueue(() => this.stopRunning());
  }

  /**
   * The connectors this worker runs, each with its spec as stored (secrets as
   * their references) and the state it should be in, for the REST API.
   */
  connectors(): Array<{ name: string; spec: ConnectorSpec; target: WantedConnector['target'] }> {
    return [...this.running].map(([name, run]) => ({ name, spec: run.spec, target: run.target }));
  }

  /**
   * Kafka Connect's restart: the connector and, with `includeTasks`, its
   * tasks; with `onlyFailed` only those that FAILED. A connector that failed
   * is started again with all its tasks; one that runs holds no work of its
   * own in this worker, so only its tasks restart. What will restart is
   * reported RESTARTING at once (Connect's answer shows it); the restarts run
   * after the changes already under way. Undefined for a connector not run here.
   */
  restart(name: string, o: { includeTasks: boolean; onlyFailed: boolean }): RestartPlan | undefined {
    const run = this.running.get(name);
    if (!run) return undefined;
    const generation = run.generation;
    const connector = !o.onlyFailed || run.state === 'FAILED';
    const tasks = o.includeTasks
      ? run.tasks.flatMap((t, i) => (!o.onlyFailed || t.state === 'FAILED' ? [i] : []))
      : [];
    if (connector && run.state === 'FAILED') {
      void this.connectorState(name, 'RESTARTING', null);
      void this.enqueue(async () => {
        const now = this.running.get(name);
        if (this.closed || now?.generation !== generation) return;
        await this.stopTasks(name);
        await this.start(name, { spec: now.spec, target: now.target });
      });
      return { connector, tasks };
    }
    for (const task of tasks) this.restartTask(name, task);
    return { connector, tasks };
  }

  /** Stops one task and runs it again from its stored offsets. False for a task not run here. */
  restartTask(name: string, task: number): boolean {
    const run = this.running.get(name);
    const t = run?.tasks[task];
    if (!run || !t) return false;
    const generation = run.generation;
    this.taskState(name, generation, task, 'RESTARTING', null);
    void this.enqueue(async () => {
      const now = this.running.get(name);
      if (this.closed || now?.generation !== generation || now.tasks[task] !== t) return;
      clearTimeout(t.restartTimer);
      t.restartTimer = undefined;
      await t.runner.stop(this.options.stopTimeoutMs);
      await within(t.done, this.options.stopTimeoutMs);
      t.restarts = 0;
      this.launch(name, t, t.create(), now.target === 'paused');
    });
    return true;
  }

  async stopAll(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.stopRunning();
  }

  private async stopRunning(): Promise<void> {
    await Promise.all(
      [...this.running.keys()].map(async (name) => {
        await this.stopTasks(name);
        await this.connectorState(name, 'UNASSIGNED', null);
      }),
    );
    this.running.clear();
  }

  private async carryOut(action: HerderAction): Promise<void> {
    switch (action.type) {
      case 'start':
        // Created while this worker runs: a move from another runtime may have written its offsets just before.
        if (this.synced && action.wanted.spec.kind === 'source')
          await this.options.offsets.refresh(action.name);
        return this.start(action.name, action.wanted);
      case 'restart':
        this.options.log.info('configuration changed, restarting', { connector: action.name });
        await this.stopTasks(action.name);
        return this.start(action.name, action.wanted);
      case 'target': {
        const run = present(this.running.get(action.name), `the running connector ${action.name}`);
        // A connector that failed to start has no tasks to pause: a new target state is a new attempt.
        if (action.from !== 'stopped' && action.to !== 'stopped' && run.tasks.length > 0) {
          run.target = action.to;
          for (const t of run.tasks) action.to === 'paused' ? t.runner.pause() : t.runner.resume();
          return this.connectorState(action.name, action.to === 'paused' ? 'PAUSED' : 'RUNNING', null);
        }
        await this.stopTasks(action.name);
        // While it was stopped, `pipe offsets` or a move from another runtime may have written its offsets.
        if (action.from === 'stopped' && run.spec.kind === 'source')
          await this.options.offsets.refresh(action.name);
        return this.start(action.name, { spec: run.spec, target: action.to });
      }
      case 'delete': {
        const run = present(this.running.get(action.name), `the running connector ${action.name}`);
        await this.stopTasks(action.name);
        this.running.delete(action.name);
        this.options.onState({ connector: action.name, state: 'UNASSIGNED', trace: null });
        await this.options.status.forget(action.name, run.tasks.length);
        // After the tasks' last flush, which may follow apply's own tombstones: deleting drops the offsets.
        try {
          await this.options.offsets.drop(action.name);
        } catch (err) {
          throw new PipeError(
            'WORKER',
            `its offsets could not be dropped (${messageOf(err)}); a connector created again under this name resumes from them`,
            { cause: err },
          );
        }
        this.options.log.info('deleted', { connector: action.name });
        return;
      }
    }
  }

  /** The stored spec with its secrets resolved from this worker's environment (src/state/secrets.ts). */
  private unseal(stored: ConnectorSpec): ConnectorSpec {
    const result = unsealSpec(stored, {
      env: process.env,
      readFile: (path) => readFileSync(resolve(this.options.baseDir, path), 'utf8'),
    });
    if (result.ok) return result.spec;
    throw new PipeError(
      'CONNECTOR_CONFIG',
      `the secret at ${result.pointer} cannot be resolved where this worker runs: ${result.message}`,
      {
        meta: {
          resource: `${stored.kind}.${stored.name}`,
          hint: 'run the worker with the environment and files the project was applied with',
        },
      },
    );
  }

  private async start(name: string, wanted: WantedConnector): Promise<void> {
    const generation = (this.generations.get(name) ?? 0) + 1;
    this.generations.set(name, generation);
    const spec = wanted.spec as ConnectorSpec;
    const run: ConnectorRun = {
      spec,
      state: 'UNASSIGNED',
      specJson: specJson(wanted.spec),
      target: wanted.target,
      generation,
      tasks: [],
    };
    this.running.set(name, run);
    if (wanted.target === 'stopped') return this.connectorState(name, 'STOPPED', null);
    let factories: Array<() => CreatedRunner>;
    try {
      factories = this.runnerFactories(spec, generation);
    } catch (err) {
      return this.connectorState(name, 'FAILED', traceOf(err));
    }
    await this.connectorState(name, wanted.target === 'paused' ? 'PAUSED' : 'RUNNING', null);
    for (const create of factories) {
      const created = create();
      const t: TaskRun = {
        runner: created.runner,
        state: 'UNASSIGNED',
        trace: null,
        done: Promise.resolve(),
        create,
        restarts: 0,
      };
      run.tasks.push(t);
      this.launch(name, t, created, wanted.target === 'paused');
    }
  }

  private launch(name: string, t: TaskRun, { runner, close }: CreatedRunner, paused: boolean): void {
    t.runner = runner;
    if (paused) runner.pause();
    // Runners report their own failures as FAILED; anything escaping them must not end the process.
    t.done = (close ? runner.run().finally(close) : runner.run()).catch((err: unknown) =>
      this.options.log.error(traceOf(err), { connector: name, task: runner.id.task, ...codeOf(err) }),
    );
  }

  /**
   * A task that failed on a retriable error (the cluster unreachable, a
   * request timed out) is started again by itself, after a pause that grows
   * from 1 s to 30 s with every restart, so it resumes once the cluster is
   * back without anyone restarting `pipe run`.
   */
  private restartLater(name: string, generation: number, task: number, t: TaskRun): void {
    if (this.closed || t.restartTimer) return;
    t.restarts++;
    const delay = Math.round(backoffMs(t.restarts, 1000, 30_000) * (0.8 + 0.4 * Math.random()));
    this.options.log.info(`failed on a retriable error; restarting in ${Math.ceil(delay / 1000)} s`, {
      connector: name,
      task,
    });
    t.restartTimer = setTimeout(() => {
      t.restartTimer = undefined;
      this.enqueue(async () => {
        const run = this.running.get(name);
        if (this.closed || run?.generation !== generation || run.tasks[task] !== t || t.state !== 'FAILED')
          return;
        await t.done;
        this.launch(name, t, t.create(), run.target === 'paused');
      });
    }, delay);
    t.restartTimer.unref();
  }

  /** Runs a step after those under way; a failing step is reported and the queue goes on. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(step)
      .catch((err: unknown) => this.options.log.error(traceOf(err), codeOf(err)));
    return this.queue;
  }

  private runnerFactories(stored: ConnectorSpec, generation: number): Array<() => CreatedRunner> {
    const spec = this.unseal(stored);
    const plugin = spec.kind === 'source' ? builtInSource(spec.connector) : builtInSink(spec.connector);
    if (!plugin) {
      throw new PipeError(
        'UNKNOWN_CONNECTOR',
        spec.connector.startsWith('connect:')
          ? `${spec.connector} runs on a Kafka Connect cluster, not in pipe's embedded worker`
          : `no built-in ${spec.kind} connector "${spec.connector}"`,
        { meta: { resource: `${spec.kind}.${spec.name}` } },
      );
    }
    const converters = recordConverters(spec, this.options.createConverter);
    const base = (task: number) => ({
      id: { connector: spec.name, task },
      baseDir: this.options.baseDir,
      log: taskLog(this.options.log, { connector: spec.name, task }),
      onState: (state: RuntimeState, trace: string | null) =>
        this.taskState(spec.name, generation, task, state, trace),
    });
    if (plugin.kind === 'source') {
      const configs = plugin.taskConfigs(spec.config, spec.tasks, spec.topic ?? '');
      const { exactlyOnce } = this.options;
      return configs.map((config, task) => () => {
        const options = {
          ...base(task),
          offsetFlushIntervalMs: this.options.offsetFlushIntervalMs,
          spec,
          task: plugin.createTask(),
          config,
          converters,
          offsets: this.options.offsets,
          topicFacts: (topic: string) => this.topicFacts(topic),
          limits: this.options.sourceLimits,
          offsetsEachRequest: this.options.sourceOffsetsEachRequest ?? true,
        };
        if (exactlyOnce) {
          const producer = createTransactionalProducer(
            this.options.kafka,
            this.options.connection,
            `${exactlyOnce.transactionalIdPrefix}-${spec.name}-${task}`,
          );
          const runner = new SourceTaskRunner({
            ...options,
            transactions: { producer, offsets: exactlyOnce.offsets },
          });
          return { runner, close: () => producer.close() };
        }
        const producer = createDataProducer(this.options.connection, {
          role: 'worker-source',
          idempotent: true,
        });
        const { offsets } = this.options;
        const runner = new SourceTaskRunner({
          ...options,
          producer,
          ...(offsets instanceof KafkaOffsetStore ? { carriedOffsets: offsets } : {}),
        });
        return { runner, close: () => producer.close() };
      });
    }
    const configs = plugin.taskConfigs(spec.config, spec.tasks);
    return configs.map((config, task) => () => ({
      runner: new SinkTaskRunner({
        ...base(task),
        spec,
        task: plugin.createTask(),
        config,
        kafka: this.options.kafka,
        converters,
        producer: this.options.producer,
      }),
    }));
  }

  private async topicFacts(topic: string): Promise<TopicFacts | undefined> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      return await readTopicFacts(admin, topic);
    } catch (err) {
      throw isPipeError(err) ? err : unreachable(this.options.connection, err);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async stopTasks(name: string): Promise<void> {
    const run = this.running.get(name);
    if (!run) return;
    for (const t of run.tasks) clearTimeout(t.restartTimer);
    await Promise.all(run.tasks.map((t) => t.runner.stop(this.options.stopTimeoutMs)));
    await within(Promise.all(run.tasks.map((t) => t.done)), this.options.stopTimeoutMs);
  }

  private taskState(
    name: string,
    generation: number,
    task: number,
    state: RuntimeState,
    trace: string | null,
  ): void {
    const run = this.running.get(name);
    const t = run?.generation === generation ? run.tasks[task] : undefined;
    if (t) {
      if (t.state === state && t.trace === trace) return;
      t.state = state;
      t.trace = trace;
      if (state === 'FAILED' && isRetriable(t.runner.lastFailure))
        this.restartLater(name, generation, task, t);
    }
    const counters = t?.runner.counters;
    void this.options.status.task(
      name,
      task,
      state,
      trace,
      generation,
      counters ? counters.snapshot(Date.now()) : emptyMetrics(),
    );
    this.options.onState({ connector: name, task, state, trace });
  }

  private async connectorState(name: string, state: RuntimeState, trace: string | null): Promise<void> {
    const run = this.running.get(name);
    if (run) run.state = state;
    const generation = run?.generation ?? 0;
    this.options.onState({ connector: name, state, trace });
    await this.options.status.connector(name, state, trace, generation);
  }
}

function emptyMetrics() {
  return { recordsIn: 0, recordsOut: 0, recordsFailed: 0, rate: 0, updatedAt: new Date().toISOString() };
}

/** A task's log: every line says which task it is about. */
function taskLog(log: Log, about: LogContext): Log {
  return {
    info: (m, c) => log.info(m, { ...about, ...c }),
    warn: (m, c) => log.warn(m, { ...about, ...c }),
    error: (m, c) => log.error(m, { ...about, ...c }),
  };
}

/** The error's stable code, for the JSON log. */
function codeOf(err: unknown): LogContext {
  return isPipeError(err) ? { code: err.code } : {};
}
