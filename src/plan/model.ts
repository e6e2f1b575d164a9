/**
 * What a plan is made of. The readers fill an ActualState, the differ turns
 * (DesiredState, ActualState) into a Plan, the renderers and the applier read
 * the Plan. Everything here is plain data so a Plan can be saved, compared and
 * rendered the same way everywhere.
 */
import type { Address, ConnectorSpec } from '../config/model.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ConnectorStatus, LiveConnector } from '../runtime/runtime.js';
import type { ForeignRecord } from '../state/foreign.js';
import type { ConnectorRecord, DeletedConnectorRecord, ManagedTopicRecord } from '../state/records.js';

export type { ConnectorStatus, LiveConnector };

/* ---------- actual state: what the readers saw ---------- */

export interface TopicState {
  partitions: number;
  replicationFactor: number;
  /** Only the topic's own overrides: a broker default is never listed, so it never shows as drift. */
  config: Record<string, string>;
}

export interface ActualTopic extends TopicState {
  name: string;
}

export interface ActualConnector {
  name: string;
  record: ConnectorRecord;
  /** From the `target-state-<name>` record; absent when none was written. */
  targetState?: ConnectorSpec['state'];
  /** What a worker last reported; absent when no worker ever ran it. */
  status?: ConnectorStatus;
}

/** What a plan read from one runtime other than the embedded one (a Kafka Connect cluster). */
export interface ActualRuntime {
  /** Every connector on the cluster, managed by pipe or not, by name. */
  live: Record<string, LiveConnector>;
  version?: string;
  /** Whether deleting a connector can drop its offsets (Kafka Connect 3.6+), as it can change them. */
  dropsOffsets: boolean;
  /** Whether its connectors' offsets can be read and the connectors stopped (Kafka Connect 3.5+); as dropsOffsets when absent. */
  readsOffsets?: boolean;
  /** The Kafka cluster its workers use (`kafka_cluster_id` of `GET /`). */
  kafkaClusterId?: string;
}

/** What a plan read of a connector the YAML moves to another runtime. */
export interface MoveFacts {
  /** Partitions with an offset on the runtime it runs on; null when that runtime cannot say (Kafka Connect before 3.5). */
  offsets: number | null;
  /** Whether both runtimes use the same Kafka cluster, so a sink's consumer group `connect-<name>` is the same group. */
  sameKafka: boolean;
}

export interface ActualState {
  /** Whether `<prefix>.configs` exists; when it does not, nothing was ever applied. */
  stateTopicsExist: boolean;
  /** Existing topics among those the plan is about (desired, managed, or named by a desired connector), by name. */
  topics: Record<string, ActualTopic>;
  /** Every `managed-topic-*` record of the configs topic, whichever project wrote it. */
  managedTopics: Record<string, ManagedTopicRecord>;
  /** Every `connector-*` record of the configs topic, whichever project wrote it. */
  connectors: Record<string, ActualConnector>;
  /** Connectors deleted through a worker's REST API since an apply last wrote them, by name; absent when none. */
  deletedOutside?: Record<string, DeletedConnectorRecord>;
  /** Records of the state topics skipped because pipe cannot read them: the plan warns of each. */
  foreignRecords?: ForeignRecord[];
  /**
   * Every config key the broker knows for a topic (describeConfigs of one existing topic lists them all,
   * defaults included), so a misspelled key is caught at plan time rather than by the broker's
   * "Configuration is invalid" during apply. Absent when the cluster has no topic to describe.
   */
  topicConfigKeys?: string[];
  /** Kafka Connect runtimes the plan concerns, by name; absent when every connector runs embedded. */
  runtimes?: Record<string, ActualRuntime>;
  /** Connectors the YAML moves to another runtime than the one they were applied to, or renames (`moved:`), by (new) name. */
  moves?: Record<string, MoveFacts>;
  /** Another apply holding the project's lock while this state was read: the plan may be outdated soon. */
  applyInProgress?: { holder: string; since: string };
}

/* ---------- the plan ---------- */

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'adopt' | 'move' | 'no-op';

/** One attribute's before and after; an absent side means the attribute is added or removed. */
export interface AttributeDiff {
  /** Dotted path relative to the resource: `partitions`, `config.retention.ms`, `value.schemas`. */
  path: string;
  before?: unknown;
  after?: unknown;
  /** A secret: renderers print `(sensitive)` instead of either value. */
  sensitive?: boolean;
  /** Removing a topic config resets it to the broker's default rather than to nothing. */
  resetToDefault?: boolean;
  /** Adding a config to an existing topic overrides the broker's default it had until now. */
  fromDefault?: boolean;
}

/**
 * Why an action is what it is, when the attributes alone do not say, as
 * Terraform's ActionReason: a closed set of codes; the renderers word them.
 * - `missing_from_cluster`: create again a topic recorded as managed but gone;
 * - `replication_factor_changed`: replace a topic, its replicas cannot change in place;
 * - `not_yet_managed`: adopt an existing topic this project does not manage yet;
 * - `already_gone`: delete only the state record of a topic already deleted;
 * - `kind_changed` / `connector_type_changed`: replace a connector that becomes a sink
 *   from a source (or back) or changes its type;
 * - `runtime_changed`: replace a connector that moves to another runtime and changes its kind or type
 *   as well (its offsets mean nothing to the new one);
 * - `exists_on_runtime`: adopt a connector a Kafka Connect runtime has but no project manages;
 * - `deleted_outside_pipe`: create again a managed connector deleted from its Kafka Connect runtime,
 *   or through a worker's REST API;
 * - `changed_outside_pipe`: update a managed connector whose config or state on its
 *   Kafka Connect runtime differs from the YAML though the YAML did not change, or whose
 *   config a worker's REST API changed;
 * - `created_outside_pipe`: delete a connector a worker's REST API created that the YAML does not declare.
 */
export type ActionReason =
  | 'missing_from_cluster'
  | 'replication_factor_changed'
  | 'not_yet_managed'
  | 'already_gone'
  | 'kind_changed'
  | 'connector_type_changed'
  | 'runtime_changed'
  | 'exists_on_runtime'
  | 'deleted_outside_pipe'
  | 'changed_outside_pipe'
  | 'created_outside_pipe';

/**
 * Consequences the reader must know about, as codes the renderers word:
 * - `data_deleted`: the topic's data is deleted;
 * - `offsets_dropped`: the connector's stored offsets (a sink's consumer group) are deleted;
 * - `offset_file_entries_removed`: the worker also drops its entries from the offset file;
 * - `runtime_cannot_run`: the config is recorded, but the runtime cannot run this connector type;
 * - `offsets_kept`: the Kafka Connect runtime is older than 3.6 and cannot delete offsets, so a
 *   connector created later under the name resumes from them;
 * - `replication_slot_kept`: a Debezium PostgreSQL connector's replication slot stays on the
 *   database (Kafka Connect does not drop it) and holds back the server's WAL until dropped.
 */
export type ChangeNote =
  | 'data_deleted'
  | 'offsets_dropped'
  | 'offset_file_entries_removed'
  | 'runtime_cannot_run'
  | 'offsets_kept'
  | 'replication_slot_kept';

interface ChangeBase {
  address: Address;
  name: string;
  attributes: AttributeDiff[];
  reason?: ActionReason;
  notes: ChangeNote[];
  protect: boolean;
}

/**
 * Each action carries exactly the sides it has: a create has only what comes,
 * a delete only what goes, the rest both. A deleted topic has no `before`
 * when it was already gone from the cluster and only its record remains.
 */
type Sides<Action extends string, State> =
  | { action: Extract<Action, 'create'>; after: State }
  | { action: Exclude<Action, 'create' | 'delete'>; before: State; after: State };

export type TopicChange = ChangeBase & { resource: 'topic' } & (
    | Sides<Exclude<Action, 'move'>, TopicState>
    | { action: 'delete'; before?: TopicState }
  );

/** The connector as a plan shows it: the spec without where it was declared. */
export type ConnectorView = Omit<ConnectorSpec, 'origin'>;

/**
 * Connectors pipe's worker runs exist only in the project's state records, so
 * only one already on a Kafka Connect runtime is adopted; what it was before
 * is the cluster's config, shown as attributes, not a pipe spec.
 */
export type ConnectorAction = Exclude<Action, 'adopt' | 'move'>;

/**
 * A connector that changes runtime keeps its place: it is stopped on the old
 * runtime (after its last offset flush), created stopped on the new one, its
 * offsets written there, deleted from the old one, then started.
 */
export interface ConnectorMove {
  from: string;
  to: string;
  /** Partitions whose offsets are read from the old runtime and written to the new one. */
  offsetsCarried: number;
  /** A sink whose runtimes use the same Kafka cluster keeps its consumer group `connect-<name>`: nothing to carry. */
  groupKept: boolean;
  /** A rename (`moved:` in the YAML): the old name, whose offsets (a sink: group `connect-<old>`) the new one takes. */
  renamedFrom?: string;
}

export type ConnectorChange = ChangeBase & {
  resource: 'connector';
  kind: ConnectorSpec['kind'];
  /** Deleting (or replacing) the connector drops its stored offsets / consumer group. */
  dropsOffsets: boolean;
} & (
    | Sides<ConnectorAction, ConnectorView>
    | { action: 'delete'; before: ConnectorView }
    | { action: 'adopt'; after: ConnectorView }
    | { action: 'move'; before: ConnectorView; after: ConnectorView; move: ConnectorMove }
  );

export type Change = TopicChange | ConnectorChange;

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface Plan {
  project: string;
  environment?: string;
  /** True for `pipe destroy`: every managed resource goes. */
  destroy: boolean;
  /** `--target` addresses the plan was limited to; empty means the whole project. */
  targets: string[];
  /** In the order apply executes them. No-ops included, so a reader can tell "unchanged" from "unknown". */
  changes: Change[];
  /**
   * Errors: a desired state the planner cannot reach (partitions down, a
   * resource of another project), all reported together; there is no plan to
   * apply until they are fixed. Warnings: what the plan cannot fix but the
   * reader should know (a connector a worker reports FAILED).
   */
  diagnostics: Diagnostic[];
  /** Connectors on Kafka Connect runtimes that no pipe project manages (`runtime/name`): never touched, shown on request. */
  unmanaged?: string[];
  summary: PlanSummary;
  /** Hash of the ActualState the plan was made against: a saved plan is refused once it moved. */
  fingerprint: string;
  /** Hash of the desired state (secrets included, never shown): a saved plan applies only the config it was made from. */
  desiredFingerprint: string;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op');
}
