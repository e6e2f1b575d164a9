/**
 * Words for changes, shared by the human and Markdown renderers: one-line
 * summaries of a resource, values as a reader expects them, secrets hidden.
 */
import type { ConnectorSpec } from '../../config/model.js';
import type { AttributeDiff, Change, ConnectorView, PlanSummary, TopicState } from '../../plan/model.js';

export const SENSITIVE = '(sensitive)';

export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** `config.retention.ms: 604800000 → 86400000`, with secrets and broker defaults spelled out. */
export function formatAttribute(d: AttributeDiff): string {
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
  return connectorSummary(change.action === 'delete' ? change.before : change.after);
}

/** Creates and deletes are summed up in one line; the other actions list what changes. */
export function detailLines(change: Change): string[] {
  const lines: string[] = [];
  if (change.action === 'update' || change.action === 'replace' || change.action === 'adopt') {
    lines.push(...change.attributes.map(formatAttribute));
  }
  if (change.reason) lines.push(`reason: ${change.reason}`);
  lines.push(...change.notes.map((n) => `note: ${n}`));
  return lines;
}

export function summaryLine(s: PlanSummary): string {
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.`;
}

export const NO_CHANGES = 'No changes: the cluster matches the configuration.';
