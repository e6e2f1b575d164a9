/**
 * Words for changes, shared by the human and Markdown renderers: one-line
 * summaries of a resource, values as a reader expects them, secrets hidden.
 */
import type { ConnectorSpec } from '../../config/model.js';
import type { Diagnostic } from '../../diagnostics.js';
import { assertNever } from '../../plan/actions.js';
import type {
  AttributeDiff,
  Change,
  ChangeNote,
  ConnectorMove,
  ConnectorView,
  Plan,
  PlanSummary,
  TopicState,
} from '../../plan/model.js';

const SENSITIVE = '(sensitive)';

function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** `config.retention.ms: 604800000 → 86400000`, with secrets and broker defaults spelled out. */
function formatAttribute(d: AttributeDiff): string {
  const show = (v: unknown) => (d.sensitive ? SENSITIVE : formatValue(v));
  if (!('before' in d))
    return d.fromDefault ? `${d.path}: (broker default) → ${show(d.after)}` : `${d.path}: ${show(d.after)}`;
  if (!('after' in d))
    return `${d.path}: ${show(d.before)} → ${d.resetToDefault ? '(broker default)' : '(removed)'}`;
  return `${d.path}: ${show(d.before)} → ${show(d.after)}`;
}

function topicSummary(t: TopicState): string {
  const config = Object.entries(t.config).map(([k, v]) => `${k}=${formatValue(v)}`);
  return [`partitions=${t.partitions}`, `replicationFactor=${t.replicationFactor}`, ...config].join(' ');
}

function converterWord(spec: Pick<ConnectorSpec, 'value'>): string {
  return spec.value.type === 'json' && spec.value.schemas ? 'json+schemas' : spec.value.type;
}

function connectorSummary(c: ConnectorView): string {
  const tasks = `${c.tasks} task${c.tasks === 1 ? '' : 's'}`;
  const state = c.state === 'running' ? '' : `, ${c.state}`;
  if (c.kind === 'source')
    return `${c.connector} → ${c.topic ?? '?'} (${tasks}, ${converterWord(c)}${state})`;
  const from = c.topicsRegex ? `/${c.topicsRegex}/` : (c.topics ?? []).join(',');
  return `${from} → ${c.connector} (${tasks}, ${converterWord(c)}${state})`;
}

/** What the resource is (after the change, or before a delete), in one line. */
export function resourceSummary(change: Change): string {
  if (change.resource === 'topic') {
    const state = change.action === 'delete' ? change.before : change.after;
    return state ? topicSummary(state) : '';
  }
  if (change.action === 'move') return moveSummary(change.kind, change.name, change.move);
  return connectorSummary(change.action === 'delete' ? change.before : change.after);
}

/** `runtime embedded → cluster, offsets carried: 3 partitions`. */
function moveSummary(kind: ConnectorView['kind'], name: string, move: ConnectorMove): string {
  const n = move.offsetsCarried;
  const carried = move.groupKept
    ? `consumer group connect-${name} kept`
    : n === 0
      ? kind === 'sink'
        ? `no committed offsets to carry`
        : 'no offsets to carry (it has stored none)'
      : `offsets carried: ${n} partition${n === 1 ? '' : 's'}`;
  const where = move.from === move.to ? '' : `runtime ${move.from} → ${move.to}, `;
  return move.renamedFrom
    ? `renamed from ${kind}.${move.renamedFrom}, ${where}${carried}`
    : `${where}${carried}`;
}

/** The words for a change's reason code. */
export function reasonText(change: Change): string | undefined {
  switch (change.reason) {
    case undefined:
      return undefined;
    case 'missing_from_cluster':
      return 'recorded as managed by this project but missing from the cluster';
    case 'replication_factor_changed':
      return `replicationFactor cannot change in place: the topic is deleted and created again${
        change.action === 'replace' && change.resource === 'topic'
          ? ` with ${change.after.replicationFactor} replicas`
          : ''
      }, and its data is lost`;
    case 'not_yet_managed':
      return 'the topic exists but this project does not manage it yet: it is taken into management and changed in place as shown, never re-created';
    case 'already_gone':
      return 'already gone from the cluster: only its state record is removed';
    case 'kind_changed':
    case 'connector_type_changed': {
      if (change.resource !== 'connector' || change.action !== 'replace') return change.reason;
      const { before, after } = change;
      const what =
        change.reason === 'kind_changed'
          ? `it changes from a ${before.kind} to a ${after.kind}`
          : `its type changes from ${before.connector} to ${after.connector}`;
      return `${what}: the old connector is deleted and the new one created`;
    }
    case 'runtime_changed': {
      if (change.resource !== 'connector' || change.action !== 'replace') return change.reason;
      const from = change.before.runtime ?? 'embedded';
      const to = change.after.runtime ?? 'embedded';
      return `it moves from runtime "${from}" to "${to}": it is deleted from the one and created on the other`;
    }
    case 'exists_on_runtime': {
      const runtime =
        change.resource === 'connector' && change.action !== 'delete' ? change.after.runtime : '';
      return `the connector exists on runtime "${runtime}" but no pipe project manages it yet: it is taken into management, ${
        change.attributes.length === 0 ? 'as it is, without a restart' : 'and its config changed as shown'
      }`;
    }
    case 'deleted_outside_pipe': {
      const runtime =
        change.resource === 'connector' && change.action !== 'delete' ? change.after.runtime : '';
      return runtime
        ? `deleted outside pipe: it is missing from runtime "${runtime}" and is created again`
        : `deleted outside pipe, through a worker's REST API (worker.http.allowWrites): it is created again as the YAML declares it`;
    }
    case 'changed_outside_pipe': {
      const runtime =
        change.resource === 'connector' && change.action !== 'delete' ? change.after.runtime : '';
      return runtime
        ? `changed outside pipe: runtime "${runtime}" holds another config or state than the YAML, and apply sets it back`
        : `changed outside pipe, through a worker's REST API (worker.http.allowWrites): apply sets it back to the YAML; to keep the change, write it into the pipeline file`;
    }
    case 'created_outside_pipe':
      return `created outside pipe, through a worker's REST API (worker.http.allowWrites), and declared in no pipeline file: apply deletes it; to keep it, declare it in a pipeline file`;
    default:
      return assertNever(change.reason);
  }
}

function replicationSlotText(change: Change): string {
  const config =
    change.resource === 'connector' && 'before' in change && change.before ? change.before.config : {};
  const slot = String(config['slot.name'] ?? 'debezium');
  const where = [config['database.hostname'], config['database.dbname']]
    .filter((v) => v !== undefined)
    .join('/');
  return `replication slot "${slot}"${where ? ` on ${where}` : ''} stays (Kafka Connect does not drop it) and keeps the server's WAL from now on: once nothing will resume from it, drop it with SELECT pg_drop_replication_slot('${slot}')`;
}

/** The words for a note code. */
function noteText(change: Change, note: ChangeNote): string {
  switch (note) {
    case 'data_deleted':
      return 'its data is deleted';
    case 'offsets_dropped': {
      const kind =
        change.resource === 'connector' && change.action !== 'create' && change.action !== 'adopt'
          ? change.before.kind
          : 'source';
      return kind === 'sink'
        ? `offsets dropped: its consumer group connect-${change.name} is deleted, so a sink created again under this name starts over`
        : 'offsets dropped: its stored source offsets are deleted, so a source created again under this name starts from the beginning';
    }
    case 'offset_file_entries_removed':
      return 'the worker removes its entries from its offset file (worker.offsetFile) when it sees the connector deleted';
    case 'runtime_cannot_run': {
      const type =
        change.resource === 'connector' && change.action !== 'delete' ? change.after.connector : '';
      return `the embedded worker cannot run ${type}: the config is recorded, and running it needs a Kafka Connect runtime (declare one under runtimes in pipeline.config.yaml and set runtime: <name>)`;
    }
    case 'offsets_kept':
      return 'offsets stay: this Kafka Connect release cannot delete a connector’s offsets (3.6 and later can), so a connector created again under this name resumes from them';
    case 'replication_slot_kept':
      return replicationSlotText(change);
    default:
      return assertNever(note);
  }
}

/** Creates and deletes are summed up in one line; the other actions list what changes. */
export function detailLines(change: Change): string[] {
  const lines: string[] = [];
  if (
    change.action === 'update' ||
    change.action === 'replace' ||
    change.action === 'adopt' ||
    change.action === 'move'
  ) {
    lines.push(...change.attributes.map(formatAttribute));
  }
  const reason = reasonText(change);
  if (reason) lines.push(`reason: ${reason}`);
  if (change.action === 'move') lines.push(moveText(change.kind, change.name, change.move));
  lines.push(...change.notes.map((n) => `note: ${noteText(change, n)}`));
  // apply refuses a replace unless allowed: say so where the replace is shown.
  if (change.action === 'replace') lines.push('note: needs --allow-replace');
  return lines;
}

function moveText(kind: ConnectorView['kind'], name: string, move: ConnectorMove): string {
  if (move.renamedFrom) {
    const what =
      kind === 'sink' ? `the commits of consumer group connect-${move.renamedFrom}` : 'its source offsets';
    return `note: ${kind}.${move.renamedFrom} is stopped after its last offset flush, ${kind}.${name} created stopped, ${what} written for it, the old name deleted, then ${kind}.${name} started: nothing is read again`;
  }
  const steps = `stopped on "${move.from}" after its last offset flush, created stopped on "${move.to}"`;
  if (move.groupKept)
    return `note: ${steps}, then started: both runtimes use the same Kafka cluster, so it carries on with consumer group connect-${name}, nothing to copy`;
  const what =
    kind === 'sink'
      ? "its consumer group's commits (the runtimes use different Kafka clusters)"
      : 'its source offsets';
  return `note: ${steps}, ${what} written there, deleted from "${move.from}", then started: no record is read twice or skipped`;
}

/** A plan's warning or error as one line. */
export function diagnosticLine(d: Diagnostic): string {
  return d.detail ? `${d.summary}: ${d.detail}` : d.summary;
}

export function summaryLine(s: PlanSummary): string {
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.`;
}

export const NO_CHANGES = 'No changes: the cluster matches the configuration.';

/** `--show-unmanaged`: the heading, then one `runtime/name` per line (or a line saying there are none). */
export function unmanagedLines(plan: Pick<Plan, 'unmanaged'>): { heading: string; entries: string[] } {
  const entries = plan.unmanaged ?? [];
  return {
    heading:
      entries.length === 0
        ? 'Unmanaged connectors: none on the Kafka Connect runtimes read.'
        : 'Unmanaged connectors on Kafka Connect runtimes (no pipe project manages them; pipe never changes or deletes them):',
    entries,
  };
}
