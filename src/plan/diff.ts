/**
 * The planner: a pure, synchronous function from what the project wants and
 * what the cluster has to the list of changes that gets from one to the other.
 * No I/O and no clock: the same inputs always give the same plan, which is
 * what lets a saved plan be checked by planning again.
 */

import {
  type ConnectorSpec,
  connectorAddress,
  type DesiredState,
  EMBEDDED_RUNTIME,
  type TopicSpec,
  topicAddress,
} from '../config/model.js';
import { didYouMean } from '../config/suggest.js';
import type { Diagnostic } from '../diagnostics.js';
import { type Mapped, pipeFieldOf, toConnectConfig } from '../runtime/connect/mapping.js';
import { foreignRecordDiagnostic } from '../state/foreign.js';
import { sealSpec } from '../state/secrets.js';
import { assertNever } from './actions.js';
import { diffAttributes, isSensitive } from './attributes.js';
import { fieldSource } from './field-source.js';
import { fingerprintActual, fingerprintDesired } from './fingerprint.js';
import type {
  ActualConnector,
  ActualRuntime,
  ActualState,
  ActualTopic,
  AttributeDiff,
  Change,
  ChangeNote,
  ConnectorChange,
  ConnectorStatus,
  ConnectorView,
  Plan,
  PlanSummary,
  TopicChange,
  TopicState,
} from './model.js';
import { topicUseDiagnostics } from './topic-use.js';

export interface PlanOptions {
  /** `--target`: only these addresses are planned. */
  targets?: readonly string[];
  /** `pipe destroy`: plan the deletion of every resource this project manages. */
  destroy?: boolean;
}

function topicState(spec: TopicSpec): TopicState {
  return { partitions: spec.partitions, replicationFactor: spec.replicationFactor, config: spec.config };
}

function actualTopicState(topic: ActualTopic): TopicState {
  return { partitions: topic.partitions, replicationFactor: topic.replicationFactor, config: topic.config };
}

/**
 * The connector as the state records hold it: secrets sealed into their
 * references, so a plan compares like with like and never carries a secret.
 */
function withoutOrigin(spec: ConnectorSpec): ConnectorView {
  const { origin: _origin, ...rest } = spec;
  return sealSpec(rest);
}

/** The recorded connector as the differ compares it: the target-state record decides the state. */
function recordedView(actual: ActualConnector): ConnectorView {
  return { ...actual.record.spec, state: actual.targetState ?? actual.record.spec.state };
}

/** The attributes a user sets; `sensitive` and `sealed` are bookkeeping about them, not among them. */
function comparable(view: ConnectorView): Record<string, unknown> {
  const { sensitive: _sensitive, sealed: _sealed, ...rest } = view;
  return rest;
}

function topicDiffs(before: TopicState | undefined, after: TopicState | undefined) {
  return diffAttributes(before, after).map((d) => {
    if (!before || !after || !d.path.startsWith('config.')) return d;
    if (!('after' in d)) return { ...d, resetToDefault: true };
    if (!('before' in d)) return { ...d, fromDefault: true };
    return d;
  });
}

/**
 * Config keys the broker does not know for a topic, each a problem naming the
 * key with the nearest known one; true when there was any.
 */
function unknownConfigKeys(spec: TopicSpec, actual: ActualState, address: string, problems: Diagnostic[]) {
  const known = actual.topicConfigKeys;
  if (!known) return false;
  const knownSet = new Set(known);
  const unknown = Object.keys(spec.config).filter((key) => !knownSet.has(key));
  for (const key of unknown) {
    const suggestion = didYouMean(key, known);
    problems.push({
      severity: 'error',
      code: 'UNKNOWN_TOPIC_CONFIG',
      address,
      summary: `${address}: config "${key}" is not a topic config this Kafka cluster knows`,
      ...(suggestion ? { suggestion } : {}),
    });
  }
  return unknown.length > 0;
}

function planTopic(
  spec: TopicSpec,
  actual: ActualState,
  project: string,
  problems: Diagnostic[],
): TopicChange | undefined {
  const address = topicAddress(spec.name);
  const existing = actual.topics[spec.name];
  const managed = actual.managedTopics[spec.name];
  const after = topicState(spec);
  const base = { resource: 'topic' as const, address, name: spec.name, protect: spec.protect, notes: [] };
  if (managed && managed.project !== project) {
    problems.push({
      severity: 'error',
      code: 'OWNED_BY_OTHER_PROJECT',
      address,
      summary: `${address} is managed by project "${managed.project}", not "${project}"`,
      suggestion:
        'a topic is managed by one project only: remove it from one of them, or give the projects different state.topicPrefix values if they are meant to be separate',
    });
    return undefined;
  }
  if (unknownConfigKeys(spec, actual, address, problems)) return undefined;
  if (!existing) {
    return {
      ...base,
      action: 'create',
      after,
      attributes: topicDiffs(undefined, after),
      ...(managed ? { reason: 'missing_from_cluster' as const } : {}),
    };
  }
  const before = actualTopicState(existing);
  const attributes = topicDiffs(before, after);
  if (after.partitions < before.partitions) {
    problems.push({
      severity: 'error',
      code: 'PARTITIONS_DECREASE',
      address,
      summary: `${address}: partitions cannot go down from ${before.partitions} to ${after.partitions}, because Kafka cannot reduce the partitions of a topic`,
      suggestion: `keep partitions: ${before.partitions}, or create a new topic with ${after.partitions} partition${after.partitions === 1 ? '' : 's'}, move producers and consumers to it, then remove this one`,
    });
    return undefined;
  }
  if (after.replicationFactor !== before.replicationFactor) {
    if (!managed) {
      problems.push({
        severity: 'error',
        code: 'UNMANAGED_REPLACE',
        address,
        summary: `${address} exists with replicationFactor ${before.replicationFactor} and is not managed by this project; changing it means deleting the topic, which pipe never does to a topic it does not manage`,
        suggestion: `set replicationFactor: ${before.replicationFactor} to adopt the topic as it is`,
      });
      return undefined;
    }
    return {
      ...base,
      action: 'replace',
      before,
      after,
      attributes,
      reason: 'replication_factor_changed',
    };
  }
  if (!managed) {
    return {
      ...base,
      action: 'adopt',
      before,
      after,
      attributes,
      reason: 'not_yet_managed',
    };
  }
  return { ...base, action: attributes.length > 0 ? 'update' : 'no-op', before, after, attributes };
}

function deleteTopic(name: string, actual: ActualState, protect: boolean): TopicChange {
  const existing = actual.topics[name];
  const before = existing ? actualTopicState(existing) : undefined;
  return {
    resource: 'topic',
    address: topicAddress(name),
    name,
    action: 'delete',
    protect,
    before,
    attributes: topicDiffs(before, undefined),
    notes: existing ? ['data_deleted'] : [],
    ...(existing ? {} : { reason: 'already_gone' as const }),
  };
}

function offsetNotes(view: ConnectorView, desired: DesiredState, actual: ActualState): ChangeNote[] {
  if (view.runtime)
    return actual.runtimes?.[view.runtime]?.dropsOffsets === false ? ['offsets_kept'] : ['offsets_dropped'];
  return view.kind === 'source' && desired.project.worker.offsetStorage === 'file'
    ? ['offsets_dropped', 'offset_file_entries_removed']
    : ['offsets_dropped'];
}

const DEBEZIUM_POSTGRES = 'connect:io.debezium.connector.postgresql.PostgresConnector';

/**
 * Deleting a Debezium PostgreSQL connector leaves its logical replication slot
 * behind unless `slot.drop.on.stop` is set, and an abandoned slot keeps every
 * WAL segment from then on: the disk fills unless someone drops it.
 */
function slotNotes(view: ConnectorView): ChangeNote[] {
  return view.connector === DEBEZIUM_POSTGRES && String(view.config['slot.drop.on.stop']) !== 'true'
    ? ['replication_slot_kept']
    : [];
}

function runtimeNotes(view: ConnectorView): ChangeNote[] {
  return !view.runtime && view.connector.startsWith('connect:') ? ['runtime_cannot_run'] : [];
}

/** A connector whose config cannot be sent to its Kafka Connect runtime as the project's secrets setting stands. */
function secretsProblem(
  spec: ConnectorSpec,
  address: string,
  mapped: Extract<Mapped, { ok: false }>,
): Diagnostic {
  return {
    severity: 'error',
    code: 'RUNTIME_SECRETS',
    address,
    summary: mapped.message,
    source: fieldSource(spec, mapped.field),
    suggestion: mapped.hint,
  };
}

/** A connector on a Kafka Connect runtime as the differ compares it with the cluster: Connect's config and target state. */
interface ConnectView {
  connect: Record<string, string>;
  state: ConnectorSpec['state'];
}

function liveDiffs(
  before: ConnectView,
  after: ConnectView,
  sensitiveKeys: readonly string[],
): AttributeDiff[] {
  return diffAttributes(
    before as unknown as Record<string, unknown>,
    after as unknown as Record<string, unknown>,
    sensitiveKeys.map((k) => `connect.${k}`),
  );
}

/**
 * Connectors on Kafka Connect runtimes are compared twice: the spec with the
 * one last applied (what the user changed), and Connect's config with what
 * pipe sends (what changed on the cluster: drift, or a connector deleted
 * there). Adoption takes over a connector that exists but is unrecorded.
 */
function planConnectConnector(
  spec: ConnectorSpec,
  runtimeName: string,
  recorded: ActualConnector | undefined,
  actual: ActualState,
  desired: DesiredState,
  problems: Diagnostic[],
): ConnectorChange | undefined {
  const address = connectorAddress(spec);
  const { origin: _origin, ...plain } = spec;
  const after = withoutOrigin(spec);
  const runtime = desired.project.runtimes?.[runtimeName];
  const rt: ActualRuntime | undefined = actual.runtimes?.[runtimeName];
  if (!runtime || !rt) {
    problems.push({
      severity: 'error',
      code: 'RUNTIME_MISSING',
      address,
      summary: `${address} runs on runtime "${runtimeName}", which was not read`,
    });
    return undefined;
  }
  const mapped = toConnectConfig(plain, runtime, desired.project.dir);
  if (!mapped.ok) {
    problems.push(secretsProblem(spec, address, mapped));
    return undefined;
  }
  const sensitiveKeys = Object.keys(mapped.config).filter((k) =>
    isSensitive(pipeFieldOf(k, spec), spec.sensitive),
  );
  const wanted: ConnectView = { connect: mapped.config, state: spec.state };
  const live = rt.live[spec.name];
  const base = {
    resource: 'connector' as const,
    kind: spec.kind,
    address,
    name: spec.name,
    protect: spec.protect,
    dropsOffsets: false,
    notes: [] as ChangeNote[],
  };
  const liveView = live ? { connect: live.config, state: live.state } : undefined;
  if (!recorded) {
    if (liveView) {
      return {
        ...base,
        action: 'adopt',
        after,
        attributes: liveDiffs(liveView, wanted, sensitiveKeys),
        reason: 'exists_on_runtime',
      };
    }
    return {
      ...base,
      action: 'create',
      after,
      attributes: diffAttributes(undefined, comparable(after), after.sensitive),
    };
  }
  if (!liveView) {
    return {
      ...base,
      action: 'create',
      after,
      attributes: diffAttributes(undefined, comparable(after), after.sensitive),
      reason: 'deleted_outside_pipe',
    };
  }
  const before = recordedView(recorded);
  const sensitive = [...new Set([...before.sensitive, ...after.sensitive])];
  const attributes = diffAttributes(comparable(before), comparable(after), sensitive);
  if (attributes.length > 0) return { ...base, action: 'update', before, after, attributes };
  const drift = liveDiffs(liveView, wanted, sensitiveKeys);
  if (drift.length > 0) {
    return { ...base, action: 'update', before, after, attributes: drift, reason: 'changed_outside_pipe' };
  }
  return { ...base, action: 'no-op', before, after, attributes: [] };
}

function planConnector(
  spec: ConnectorSpec,
  actual: ActualState,
  desired: DesiredState,
  problems: Diagnostic[],
  renames: ReadonlyMap<string, ActualConnector>,
): ConnectorChange | undefined {
  const address = connectorAddress(spec);
  const after = withoutOrigin(spec);
  const recorded = actual.connectors[spec.name];
  const renamedFrom = recorded ? undefined : renames.get(spec.name);
  if (renamedFrom) {
    const before = recordedView(renamedFrom);
    const sensitive = [...new Set([...before.sensitive, ...after.sensitive])];
    const attributes = diffAttributes(comparable(before), comparable(after), sensitive);
    return planMove(spec, renamedFrom, attributes, actual, desired, problems, renamedFrom.name);
  }
  const base = {
    resource: 'connector' as const,
    kind: spec.kind,
    address,
    name: spec.name,
    protect: spec.protect,
    dropsOffsets: false,
  };
  if (recorded && recorded.record.project !== desired.project.name) {
    problems.push({
      severity: 'error',
      code: 'OWNED_BY_OTHER_PROJECT',
      address,
      summary: `connector ${spec.name} is managed by project "${recorded.record.project}", not "${desired.project.name}"`,
      suggestion:
        'connector names are unique within a state topic prefix: rename the connector, or give the projects different state.topicPrefix values',
    });
    return undefined;
  }
  const moved =
    recorded !== undefined &&
    (recorded.record.spec.runtime ?? EMBEDDED_RUNTIME) !== (spec.runtime ?? EMBEDDED_RUNTIME);
  if (spec.runtime && !moved) {
    return planConnectConnector(spec, spec.runtime, recorded, actual, desired, problems);
  }
  if (!recorded) {
    const deleted = actual.deletedOutside?.[spec.name];
    return {
      ...base,
      action: 'create',
      after,
      attributes: diffAttributes(undefined, comparable(after), after.sensitive),
      notes: runtimeNotes(after),
      ...(deleted?.project === desired.project.name ? { reason: 'deleted_outside_pipe' as const } : {}),
    };
  }
  const before = recordedView(recorded);
  const sensitive = [...new Set([...before.sensitive, ...after.sensitive])];
  const attributes = diffAttributes(comparable(before), comparable(after), sensitive);
  if (moved && before.kind === after.kind && before.connector === after.connector) {
    return planMove(spec, recorded, attributes, actual, desired, problems);
  }
  if (moved) {
    return {
      ...base,
      action: 'replace',
      before,
      after,
      attributes,
      dropsOffsets: true,
      reason: 'runtime_changed',
      notes: [...offsetNotes(before, desired, actual), ...runtimeNotes(after)],
    };
  }
  if (before.kind !== after.kind || before.connector !== after.connector) {
    return {
      ...base,
      action: 'replace',
      before,
      after,
      attributes,
      dropsOffsets: true,
      reason: before.kind !== after.kind ? 'kind_changed' : 'connector_type_changed',
      notes: [...offsetNotes(before, desired, actual), ...runtimeNotes(after)],
    };
  }
  return {
    ...base,
    action: attributes.length > 0 ? 'update' : 'no-op',
    before,
    after,
    attributes,
    notes: attributes.length > 0 ? runtimeNotes(after) : [],
    ...(attributes.length > 0 && recorded.record.outsidePipe
      ? { reason: 'changed_outside_pipe' as const }
      : {}),
  };
}

/**
 * A connector the YAML moves to another runtime keeps its offsets: the plan
 * says how many partitions are carried over, or that a sink keeps its
 * consumer group. The old runtime must read them (Kafka Connect 3.5+) and
 * the new one write them when there are any to carry (3.6+); otherwise the
 * move cannot keep them, and the plan says so instead.
 */
function planMove(
  spec: ConnectorSpec,
  recorded: ActualConnector,
  attributes: AttributeDiff[],
  actual: ActualState,
  desired: DesiredState,
  problems: Diagnostic[],
  renamedFrom?: string,
): ConnectorChange | undefined {
  const address = connectorAddress(spec);
  const before = recordedView(recorded);
  const after = withoutOrigin(spec);
  const from = before.runtime ?? EMBEDDED_RUNTIME;
  const to = spec.runtime ?? EMBEDDED_RUNTIME;
  const facts = actual.moves?.[spec.name];
  const old = before.runtime ? actual.runtimes?.[before.runtime] : undefined;
  const moving = `${address} ${renamedFrom ? `takes over ${before.kind}.${renamedFrom}` : `moves from runtime "${from}" to "${to}"`}`;
  const cannotCarry = (summary: string) => {
    problems.push({
      severity: 'error',
      code: 'MOVE_WITHOUT_OFFSETS',
      address,
      summary,
      suggestion: `upgrade that Kafka Connect cluster, or keep runtime: ${from}`,
    });
    return undefined;
  };
  if (!facts || facts.offsets === null || (old && !(old.readsOffsets ?? old.dropsOffsets))) {
    return cannotCarry(
      `${moving}, but runtime "${from}" has no offsets API (Kafka Connect 3.5 and later can read them), so its offsets cannot be carried over`,
    );
  }
  // A renamed sink's group is another one (`connect-<new name>`): its commits are carried.
  const groupKept = spec.kind === 'sink' && facts.sameKafka && renamedFrom === undefined;
  const carried = groupKept ? 0 : facts.offsets;
  if (carried > 0 && spec.runtime && actual.runtimes?.[spec.runtime]?.dropsOffsets === false) {
    return cannotCarry(
      `${moving}, but runtime "${to}" cannot write offsets (Kafka Connect 3.6 and later can), so its ${carried} offset${carried === 1 ? '' : 's'} cannot be carried over`,
    );
  }
  if (spec.runtime) {
    const runtime = desired.project.runtimes?.[spec.runtime];
    const mapped = runtime ? toConnectConfig(spec, runtime, desired.project.dir) : undefined;
    if (mapped && !mapped.ok) {
      problems.push(secretsProblem(spec, address, mapped));
      return undefined;
    }
  }
  return {
    resource: 'connector',
    kind: spec.kind,
    address,
    name: spec.name,
    protect: spec.protect,
    dropsOffsets: false,
    action: 'move',
    before,
    after,
    // The runtime and the name are the move itself, shown in its own words.
    attributes: attributes.filter((a) => a.path !== 'runtime' && a.path !== 'name'),
    move: {
      from,
      to,
      offsetsCarried: carried,
      groupKept,
      ...(renamedFrom ? { renamedFrom } : {}),
    },
    notes: runtimeNotes(after),
  };
}

/**
 * The renames `moved:` declares that are still to apply: new name → the
 * connector recorded under the old one. A declaration whose old connector is
 * gone (the rename was applied) is harmless and ignored, as Terraform ignores
 * a `moved` block it has already followed; one that cannot hold is an error.
 */
function renamesOf(
  desired: DesiredState,
  actual: ActualState,
  problems: Diagnostic[],
): Map<string, ActualConnector> {
  const renames = new Map<string, ActualConnector>();
  const byName = new Map(desired.connectors.map((c) => [c.name, c]));
  for (const m of desired.moved ?? []) {
    const [fromKind, ...fromRest] = m.from.split('.');
    const [toKind, ...toRest] = m.to.split('.');
    const fromName = fromRest.join('.');
    const toName = toRest.join('.');
    const target = byName.get(toName);
    const problem = (summary: string, suggestion: string) =>
      problems.push({
        severity: 'error',
        code: 'MOVED_INVALID',
        address: m.to,
        summary: `moved from ${m.from} to ${m.to}: ${summary}`,
        suggestion,
        source: { ...m.origin, pointer: '/moved' },
      });
    if (fromKind !== toKind) {
      problem(
        `a ${fromKind} cannot become a ${toKind}`,
        'a rename keeps the kind: source to source, sink to sink',
      );
      continue;
    }
    if (!target || target.kind !== toKind) {
      problem(`${m.to} names no ${toKind} of this project`, `declare ${m.to}, or correct the address`);
      continue;
    }
    if (byName.has(fromName)) {
      problem(`${m.from} is still declared`, `remove ${m.from} from the YAML: it is the old name of ${m.to}`);
      continue;
    }
    const old = actual.connectors[fromName];
    if (!old || old.record.project !== desired.project.name || actual.connectors[toName]) continue;
    if (old.record.spec.kind !== target.kind || old.record.spec.connector !== target.connector) {
      problem(
        `its type changes from ${old.record.spec.connector} to ${target.connector}, so the old offsets mean nothing to it`,
        `drop the moved declaration: ${m.to} is a new connector`,
      );
      continue;
    }
    renames.set(toName, old);
  }
  return renames;
}

/**
 * A connector created beside one of the same kind and type deleted looks like
 * a rename the YAML did not declare: the new one starts from scratch (a sink
 * re-reads its topics). Said, with the declaration that would keep its place.
 */
function undeclaredRenames(changes: readonly Change[]): Diagnostic[] {
  const deleted = changes.filter(
    (c): c is Extract<ConnectorChange, { action: 'delete' }> =>
      c.resource === 'connector' && c.action === 'delete' && c.reason === undefined,
  );
  const out: Diagnostic[] = [];
  for (const c of changes) {
    if (c.resource !== 'connector' || c.action !== 'create' || c.reason !== undefined) continue;
    const i = deleted.findIndex((d) => d.kind === c.kind && d.before.connector === c.after.connector);
    const old = deleted[i];
    if (!old) continue;
    deleted.splice(i, 1);
    out.push({
      severity: 'warning',
      code: 'UNDECLARED_RENAME',
      address: c.address,
      summary: `${c.address} is created and ${old.address} deleted: if this is a rename, ${c.address} starts from scratch (${
        c.kind === 'sink'
          ? 'it reads its topics from the start again'
          : 'its source is read from the start again'
      }) and ${old.address}'s offsets are dropped`,
      suggestion: `to keep its place, declare the rename in its pipeline file: moved: { from: ${old.address}, to: ${c.address} }`,
    });
  }
  return out;
}

function deleteConnector(
  recorded: ActualConnector,
  desired: DesiredState,
  actual: ActualState,
  protect: boolean,
  problems: Diagnostic[],
): ConnectorChange | undefined {
  const before = recordedView(recorded);
  const address = connectorAddress(before);
  const change: ConnectorChange = {
    resource: 'connector',
    kind: before.kind,
    address,
    name: recorded.name,
    action: 'delete',
    protect,
    before,
    attributes: diffAttributes(comparable(before), undefined, before.sensitive),
    dropsOffsets: true,
    notes: [...offsetNotes(before, desired, actual), ...slotNotes(before)],
  };
  if (!before.runtime)
    return recorded.record.outsidePipe?.created ? { ...change, reason: 'created_outside_pipe' } : change;
  const rt = actual.runtimes?.[before.runtime];
  if (!rt) {
    problems.push({
      severity: 'error',
      code: 'RUNTIME_MISSING',
      address,
      summary: `${address} was applied to runtime "${before.runtime}", which pipeline.config.yaml no longer declares`,
      suggestion: `declare runtime "${before.runtime}" again (under runtimes) so pipe can delete the connector there`,
    });
    return undefined;
  }
  if (!rt.live[recorded.name])
    return { ...change, dropsOffsets: false, notes: slotNotes(before), reason: 'already_gone' };
  return { ...change, dropsOffsets: rt.dropsOffsets };
}

/**
 * Execution order: topics are created and changed before the connectors that
 * use them; deletions run in reverse, connectors before the topics they used.
 */
function phase(change: Change): number {
  const deleting = change.action === 'delete';
  if (change.resource === 'topic') return deleting ? 3 : 0;
  return deleting ? 1 : 2;
}

function summarize(changes: readonly Change[]): PlanSummary {
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0 };
  for (const c of changes) {
    switch (c.action) {
      case 'create':
        summary.add++;
        break;
      case 'update':
      case 'adopt':
      case 'move':
        summary.change++;
        break;
      case 'replace':
        summary.add++;
        summary.destroy++;
        break;
      case 'delete':
        summary.destroy++;
        break;
      case 'no-op':
        break;
      default:
        assertNever(c);
    }
  }
  return summary;
}

function failures(c: ActualConnector, status: ConnectorStatus): Diagnostic[] {
  const firstLine = (trace: string | null | undefined) => (trace ? `: ${trace.split('\n')[0]}` : '');
  const address = connectorAddress(c.record.spec);
  const out: Diagnostic[] = [];
  if (status.state === 'FAILED') {
    out.push({
      severity: 'warning',
      code: 'CONNECTOR_FAILED',
      address,
      summary: `connector ${c.name} is FAILED${firstLine(status.trace)}`,
    });
  }
  for (const t of status.tasks) {
    if (t.state !== 'FAILED') continue;
    out.push({
      severity: 'warning',
      code: 'TASK_FAILED',
      address,
      summary: `connector ${c.name} task ${t.id} is FAILED${firstLine(t.trace)}`,
    });
  }
  return out;
}

export function plan(desired: DesiredState, actual: ActualState, options: PlanOptions = {}): Plan {
  const project = desired.project.name;
  const problems: Diagnostic[] = [];
  const changes: Change[] = [];
  const desiredTopics = new Map(desired.topics.map((t) => [t.name, t]));
  const desiredConnectors = new Map(desired.connectors.map((c) => [c.name, c]));
  const renames = options.destroy ? new Map<string, ActualConnector>() : renamesOf(desired, actual, problems);
  const renamedAway = new Set([...renames.values()].map((c) => c.name));

  if (!options.destroy) {
    for (const spec of desired.topics) {
      const change = planTopic(spec, actual, project, problems);
      if (change) changes.push(change);
    }
    for (const spec of desired.connectors) {
      const change = planConnector(spec, actual, desired, problems, renames);
      if (change) changes.push(change);
    }
  }
  for (const [name, record] of Object.entries(actual.managedTopics)) {
    if (record.project !== project) continue;
    if (options.destroy || !desiredTopics.has(name)) {
      changes.push(deleteTopic(name, actual, desiredTopics.get(name)?.protect ?? false));
    }
  }
  for (const recorded of Object.values(actual.connectors)) {
    if (recorded.record.project !== project) continue;
    const spec = desiredConnectors.get(recorded.name);
    // A renamed connector goes with its move, which deletes the old name once the new one has its offsets.
    if (renamedAway.has(recorded.name)) continue;
    if (options.destroy || !spec) {
      const change = deleteConnector(
        recorded,
        desired,
        actual,
        spec?.protect ?? recorded.record.spec.protect,
        problems,
      );
      if (change) changes.push(change);
    }
  }

  const targets = [...(options.targets ?? [])];
  let selected = changes;
  if (targets.length > 0) {
    const known = new Set<string>(changes.map((c) => c.address));
    for (const t of targets) {
      if (!known.has(t)) {
        problems.push({
          severity: 'error',
          code: 'UNKNOWN_TARGET',
          address: t,
          summary: `${t} names no resource of this project`,
          suggestion: 'addresses look like topic.<name>, source.<name>, sink.<name>',
        });
      }
    }
    const wanted = new Set<string>(targets);
    // A targeted connector brings along the topics it uses, as a targeted resource in Terraform brings its dependencies.
    for (const c of changes) {
      if (c.resource !== 'connector' || !wanted.has(c.address) || c.action === 'delete') continue;
      for (const t of [c.after.topic, ...(c.after.topics ?? [])]) if (t) wanted.add(topicAddress(t));
    }
    selected = changes.filter((c) => wanted.has(c.address));
  }
  // A stable sort: within a phase, resources keep the order of the YAML (deletions, of the state records).
  selected.sort((a, b) => phase(a) - phase(b));
  const warnings: Diagnostic[] = [];
  const topicUse = topicUseDiagnostics({
    connectors: [
      ...(options.destroy ? [] : desired.connectors.map((connector) => ({ connector, project }))),
      ...Object.values(actual.connectors)
        .filter((c) => c.record.project !== project)
        .map((c) => ({ connector: c.record.spec, project: c.record.project })),
    ],
    declared: new Set(desiredTopics.keys()),
    existing: new Set(Object.keys(actual.topics)),
    changes: selected,
    project,
  });
  for (const d of topicUse) (d.severity === 'error' ? problems : warnings).push(d);
  warnings.push(...undeclaredRenames(selected));

  if (actual.applyInProgress) {
    const { holder, since } = actual.applyInProgress;
    warnings.push({
      severity: 'warning',
      code: 'APPLY_IN_PROGRESS',
      summary: `an apply by ${holder} has been running since ${since}: this plan may be outdated once it ends`,
    });
  }
  for (const c of Object.values(actual.connectors)) {
    if (c.record.project === project && c.status) warnings.push(...failures(c, c.status));
  }
  for (const f of actual.foreignRecords ?? []) {
    warnings.push(foreignRecordDiagnostic(f));
  }
  for (const [name, runtime] of Object.entries(desired.project.runtimes ?? {})) {
    if (runtime.secrets === 'resolve' && desired.connectors.some((c) => c.runtime === name && c.sealed)) {
      warnings.push({
        severity: 'warning',
        code: 'SECRETS_RESOLVED',
        summary: `runtime "${name}" has secrets: resolve: secret values are sent to Kafka Connect, which keeps them in clear in its config topic`,
      });
    }
  }
  const unmanaged: string[] = [];
  for (const [name, rt] of Object.entries(actual.runtimes ?? {})) {
    for (const connector of Object.keys(rt.live)) {
      if (actual.connectors[connector]?.record.spec.runtime === name) continue;
      if (desiredConnectors.get(connector)?.runtime === name) continue;
      unmanaged.push(`${name}/${connector}`);
    }
  }

  return {
    project,
    ...(desired.project.environment ? { environment: desired.project.environment } : {}),
    destroy: options.destroy ?? false,
    targets,
    changes: selected,
    diagnostics: [...problems, ...warnings],
    ...(unmanaged.length > 0 ? { unmanaged } : {}),
    summary: summarize(selected),
    fingerprint: fingerprintActual(actual),
    desiredFingerprint: fingerprintDesired(desired),
  };
}
