/**
 * Where connectors run. Plan, apply, destroy, status and the wait after apply
 * read and change connectors through a Runtime only, so the embedded runtime
 * (state in Kafka topics, run by pipe's own worker) and a Kafka Connect
 * cluster (its REST API) are interchangeable behind it.
 */
import type { ConnectorSpec, TargetState } from '../config/model.js';
import type { ForeignRecord } from '../state/foreign.js';
import type { RuntimeState, WorkerHeartbeatRecord } from '../state/records.js';
import type { ConnectorOffset } from './offsets.js';

export interface TaskStatus {
  id: number;
  state: RuntimeState;
  trace?: string | null;
  workerId?: string;
}

export interface ConnectorStatus {
  state: RuntimeState;
  workerId?: string;
  /** When this status held (epoch ms), to tell a fresh RUNNING from one left by an earlier run. */
  reportedAt?: number;
  tasks: TaskStatus[];
  trace?: string | null;
}

export interface RuntimeStatus {
  connectors: Record<string, ConnectorStatus>;
  /** pipe workers that reported recently enough to count as running (the embedded runtime's). */
  liveWorkers: WorkerHeartbeatRecord[];
}

export interface DeleteResult {
  /** Source offsets dropped: a count (embedded), or whether the runtime dropped them all (Kafka Connect). */
  offsetsDropped: number;
  /** Sinks: whether the consumer group `connect-<name>` existed and was deleted. */
  groupDeleted: boolean;
}

/** A connector as a runtime that holds connectors itself (Kafka Connect) has it. */
export interface LiveConnector {
  name: string;
  /** Its config as the runtime returns it, without the `name` the runtime adds. */
  config: Record<string, string>;
  state: TargetState;
  status?: ConnectorStatus;
}

/** What a plan learns from a runtime, in one read. */
export interface RuntimeRead {
  status: RuntimeStatus;
  /**
   * Every connector the runtime holds, managed by pipe or not; absent for the
   * embedded runtime, whose connectors are pipe's own records.
   */
  live?: Record<string, LiveConnector>;
  /** The runtime's release (Kafka Connect's `version`). */
  version?: string;
  /** The Kafka cluster its workers use (Kafka Connect's `kafka_cluster_id`). */
  kafkaClusterId?: string;
  /** Whether deleting a connector can drop its offsets first (Kafka Connect 3.6+; always for embedded). */
  dropsOffsets: boolean;
  /**
   * Whether a connector's offsets can be read (`GET …/offsets`) and the
   * connector stopped (`PUT …/stop`): Kafka Connect 3.5+, always for embedded.
   * Changing them (`PATCH`/`DELETE …/offsets`) is `dropsOffsets`' 3.6.
   */
  readsOffsets: boolean;
  /** State records the runtime skipped because pipe cannot read them (the embedded status topic's). */
  foreign?: ForeignRecord[];
}

export interface ReadContext {
  /** Topics that exist, as plan listed them: the embedded runtime reads no state topic that is not there. */
  existingTopics: ReadonlySet<string>;
}

/** What the offsets operations need of a connector: a sink's topics name the partitions of its group. */
export type OffsetsSpec = Pick<ConnectorSpec, 'kind' | 'name' | 'topics' | 'topicsRegex'>;

export interface Runtime {
  /** `embedded`, or the name under `runtimes` in pipeline.config.yaml. */
  readonly name: string;
  /** Whether connectors run only while a `pipe run`/`pipe up` worker does (the embedded runtime). */
  readonly needsWorker: boolean;
  /** Why this runtime cannot run the connector, or undefined when it can. */
  cannotRun(spec: Pick<ConnectorSpec, 'connector'>): string | undefined;
  read(project: string, context: ReadContext): Promise<RuntimeRead>;
  /** Creates or updates the connector and sets its target state. Idempotent. */
  putConnector(project: string, spec: ConnectorSpec): Promise<void>;
  /**
   * Removes the connector, its status and its offsets (with `keepSinkGroup`, a
   * sink's consumer group stays: another runtime on the same Kafka cluster
   * carries on with it). Idempotent: deleting what is gone succeeds.
   */
  deleteConnector(
    spec: Pick<ConnectorSpec, 'kind' | 'name'>,
    options?: { keepSinkGroup?: boolean },
  ): Promise<DeleteResult>;
  status(project: string): Promise<RuntimeStatus>;
  /** Restarts the connector and its tasks (only the failed ones with `onlyFailed`). */
  restart(name: string, options: { onlyFailed: boolean }): Promise<void>;
  /**
   * Sets the connector's target state. `stopped` resolves once it is stopped
   * (its tasks gone, their last offsets stored), so its offsets can change.
   */
  setTargetState(project: string, spec: Pick<ConnectorSpec, 'name'>, state: TargetState): Promise<void>;
  /** The connector's offsets in Kafka Connect's REST shape (KIP-875): source partitions, or a sink's consumer group. */
  offsets(project: string, spec: OffsetsSpec): Promise<ConnectorOffset[]>;
  /** Writes these offsets (a null offset removes the partition's); the connector must be stopped. */
  alterOffsets(project: string, spec: OffsetsSpec, offsets: readonly ConnectorOffset[]): Promise<void>;
  /** Removes every offset of the connector (a sink's consumer group); the connector must be stopped. */
  resetOffsets(project: string, spec: OffsetsSpec): Promise<void>;
}
