/**
 * Where connectors run. apply talks to a Runtime only, so the embedded runtime
 * (state in Kafka topics, run by pipe's own worker) and a future Kafka Connect
 * REST runtime are interchangeable behind it.
 */
import type { ConnectorSpec } from '../config/model.js';
import type { RuntimeState, WorkerHeartbeatRecord } from '../state/records.js';

export interface ConnectorStatus {
  state: RuntimeState;
  workerId?: string;
  /** When the worker wrote this status (epoch ms), to tell a fresh RUNNING from one left by an earlier run. */
  reportedAt?: number;
  tasks: Array<{ id: number; state: RuntimeState; trace?: string | null }>;
  trace?: string | null;
}

export interface RuntimeStatus {
  connectors: Record<string, ConnectorStatus>;
  /** Workers that reported recently enough to count as running. */
  liveWorkers: WorkerHeartbeatRecord[];
}

export interface DeleteResult {
  /** Source offsets tombstoned. */
  offsetsDropped: number;
  /** Sinks: whether the consumer group `connect-<name>` existed and was deleted. */
  groupDeleted: boolean;
}

export interface Runtime {
  readonly name: string;
  /** Why this runtime cannot run the connector, or undefined when it can. */
  cannotRun(spec: Pick<ConnectorSpec, 'connector'>): string | undefined;
  /** Creates or updates the connector and sets its target state. Idempotent. */
  putConnector(project: string, spec: ConnectorSpec): Promise<void>;
  /** Removes the connector, its status and its offsets. Idempotent: deleting what is gone succeeds. */
  deleteConnector(spec: Pick<ConnectorSpec, 'kind' | 'name'>): Promise<DeleteResult>;
  status(project: string): Promise<RuntimeStatus>;
}
