/**
 * What the HTTP server reads of a running worker: each connector with its
 * target and current state, and each task with its state and counters. Read
 * at request time from what the herder already keeps, so serving it costs the
 * record path nothing.
 */
import type { ConnectorSpec, TargetState } from '../../config/model.js';
import { PipeError } from '../../errors.js';
import type { RuntimeState } from '../../state/records.js';
import type { RestartPlan, StateEvent } from '../herder.js';
import type { TaskCounters } from '../metrics.js';
import type { ConnectorOffset, WorkerRole } from '../worker.js';

export interface TaskView {
  task: number;
  state: RuntimeState;
  trace: string | null;
  counters: TaskCounters;
}

export interface ConnectorView {
  name: string;
  kind: ConnectorSpec['kind'];
  /** As stored: secrets are their `${env:…}` / `${file:…}` references. */
  spec: ConnectorSpec;
  target: TargetState;
  state: RuntimeState;
  trace: string | null;
  tasks: TaskView[];
  /** The topics its tasks wrote or read (Connect's active topics), those recorded in the status topic included, sorted. */
  topics: string[];
}

/** What the REST API may do to a running worker: operations, never a change of configuration. */
export interface WorkerControl {
  role(): WorkerRole;
  clusterId(): Promise<string>;
  offsetsOf(spec: Pick<ConnectorSpec, 'kind' | 'name'>): Promise<ConnectorOffset[]>;
  setTargetState(name: string, target: TargetState): Promise<void>;
  restart(name: string, o: { includeTasks: boolean; onlyFailed: boolean }): RestartPlan | undefined;
  restartTask(name: string, task: number): boolean;
  /** Topics the connector used before this worker ran it, as the status topic records them. */
  activeTopics(name: string): Iterable<string>;
  /** The active worker's HTTP URL, for a standby to forward to; undefined when none is known. */
  activeWorkerUrl(): Promise<string | undefined>;
}

/**
 * Changes of configuration through Connect's REST API, when
 * `worker.http.allowWrites` lets them: written to the configs topic as
 * changes made outside pipe, which the next plan shows as drift.
 */
export interface ConnectorWrites {
  /** Whether the configs topic holds the connector (whichever worker runs it). */
  exists(name: string): boolean;
  /** Created (no record yet) or changed; resolves with the spec as stored, secrets as their references. */
  put(spec: ConnectorSpec): Promise<ConnectorSpec>;
  remove(name: string): Promise<void>;
}

export interface WorkerView extends WorkerControl {
  workerId: string;
  /** The project's folder: relative paths posted over REST resolve from it, as in the YAML. */
  projectDir: string;
  /** Absent: configuration changes are refused (409), `pipe apply` makes them. */
  writes: ConnectorWrites | undefined;
  /** False until the worker has read the configs topic and started its connectors. */
  started(): boolean;
  connectors(): ConnectorView[];
}

/** The last state each connector reported, kept from the worker's state events. */
export class ConnectorStates {
  private readonly states = new Map<string, { state: RuntimeState; trace: string | null }>();

  record(e: StateEvent): void {
    if (e.task === undefined) this.states.set(e.connector, { state: e.state, trace: e.trace });
  }

  of(name: string): { state: RuntimeState; trace: string | null } {
    return this.states.get(name) ?? { state: 'UNASSIGNED', trace: null };
  }
}

interface HerderLike {
  connectors(): Array<{ name: string; spec: ConnectorSpec; target: TargetState }>;
  tasks(): Array<{
    connector: string;
    task: number;
    state: RuntimeState;
    trace: string | null;
    runner: { counters: TaskCounters };
  }>;
}

export function connectorViews(
  herder: HerderLike,
  states: ConnectorStates,
  recordedTopics: (name: string) => Iterable<string> = () => [],
): ConnectorView[] {
  const tasks = herder.tasks();
  return herder.connectors().map((c) => {
    const own = tasks
      .filter((t) => t.connector === c.name)
      .map((t) => ({ task: t.task, state: t.state, trace: t.trace, counters: t.runner.counters }));
    return {
      ...c,
      kind: c.spec.kind,
      ...states.of(c.name),
      tasks: own,
      topics: [...new Set([...recordedTopics(c.name), ...own.flatMap((t) => [...t.counters.topics])])].sort(),
    };
  });
}

const TARGET_STATE: Record<TargetState, RuntimeState> = {
  running: 'RUNNING',
  paused: 'PAUSED',
  stopped: 'STOPPED',
};

/** Connectors not (yet) in their target state: a stopped connector has no tasks to check. */
export function notReady(
  connectors: ConnectorView[],
): Array<{ name: string; target: TargetState; state: RuntimeState }> {
  return connectors
    .filter((c) => {
      const want = TARGET_STATE[c.target];
      if (c.state !== want) return true;
      return c.target !== 'stopped' && c.tasks.some((t) => t.state !== want);
    })
    .map(({ name, target, state }) => ({ name, target, state }));
}

/**
 * The view of a worker that is still starting: the server listens first (so a
 * port in use fails before Kafka is contacted) and sees the worker once it is
 * attached, and as started once it has read its configs.
 */
export class LiveWorkerView implements WorkerView {
  readonly states = new ConnectorStates();
  private herder: HerderLike | undefined;
  private control: WorkerControl | undefined;
  private isStarted = false;
  writes: ConnectorWrites | undefined;

  constructor(
    readonly workerId: string,
    readonly projectDir: string,
  ) {}

  attach(herder: HerderLike, control: WorkerControl, writes?: ConnectorWrites): void {
    this.herder = herder;
    this.control = control;
    this.writes = writes;
  }

  private attached(): WorkerControl {
    if (this.control) return this.control;
    throw new PipeError('WORKER', 'the worker is still starting', { retriable: true });
  }

  role(): WorkerRole {
    return this.control?.role() ?? 'standby';
  }

  clusterId(): Promise<string> {
    return this.attached().clusterId();
  }

  offsetsOf(spec: Pick<ConnectorSpec, 'kind' | 'name'>): Promise<ConnectorOffset[]> {
    return this.attached().offsetsOf(spec);
  }

  setTargetState(name: string, target: TargetState): Promise<void> {
    return this.attached().setTargetState(name, target);
  }

  restart(name: string, o: { includeTasks: boolean; onlyFailed: boolean }): RestartPlan | undefined {
    return this.attached().restart(name, o);
  }

  restartTask(name: string, task: number): boolean {
    return this.attached().restartTask(name, task);
  }

  activeTopics(name: string): Iterable<string> {
    return this.control?.activeTopics(name) ?? [];
  }

  activeWorkerUrl(): Promise<string | undefined> {
    return this.attached().activeWorkerUrl();
  }

  markStarted(): void {
    this.isStarted = true;
  }

  started(): boolean {
    return this.isStarted;
  }

  connectors(): ConnectorView[] {
    return this.herder ? connectorViews(this.herder, this.states, (name) => this.activeTopics(name)) : [];
  }
}
