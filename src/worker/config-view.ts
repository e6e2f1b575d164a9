/**
 * The connectors the configs topic asks for, folded from its records, and
 * what the herder must do to get from the connectors it runs to those. Both
 * are pure: the herder feeds records in and carries the actions out.
 */
import type { TargetState } from '../config/model.js';
import type { ConfigRecord } from '../state/configs-topic.js';
import { type ConnectorRecord, targetStateOf } from '../state/records.js';

export interface WantedConnector {
  spec: ConnectorRecord['spec'];
  target: TargetState;
}

export interface RunningConnector {
  /** The spec it was started with, as JSON, to notice any change. */
  specJson: string;
  target: TargetState;
}

export type HerderAction =
  | { type: 'start'; name: string; wanted: WantedConnector }
  | { type: 'restart'; name: string; wanted: WantedConnector }
  | { type: 'target'; name: string; from: TargetState; to: TargetState }
  | { type: 'delete'; name: string };

export class ConfigView {
  private readonly records = new Map<string, ConnectorRecord>();
  private readonly targets = new Map<string, TargetState>();

  apply(record: ConfigRecord): void {
    if (record.kind === 'connector') {
      if (record.value === null) this.records.delete(record.name);
      else this.records.set(record.name, record.value);
    } else if (record.kind === 'target-state') {
      if (record.value === null) this.targets.delete(record.name);
      else this.targets.set(record.name, targetStateOf(record.value));
    }
  }

  /** A connector without a target-state record runs, as in Connect. */
  wanted(): Map<string, WantedConnector> {
    const out = new Map<string, WantedConnector>();
    for (const [name, { spec }] of this.records)
      out.set(name, { spec, target: this.targets.get(name) ?? 'running' });
    return out;
  }

  /** The connector's record as last read, for the REST API's writes. */
  record(name: string): ConnectorRecord | undefined {
    return this.records.get(name);
  }
}

/** The spec as compared for a restart: its target state is the target-state record's business. */
export function specJson(spec: ConnectorRecord['spec']): string {
  const { state: _state, ...rest } = spec;
  return JSON.stringify(rest);
}

export function reconcile(
  wanted: Map<string, WantedConnector>,
  running: Map<string, RunningConnector>,
): HerderAction[] {
  const actions: HerderAction[] = [];
  for (const name of running.keys()) if (!wanted.has(name)) actions.push({ type: 'delete', name });
  for (const [name, w] of wanted) {
    const r = running.get(name);
    if (!r) actions.push({ type: 'start', name, wanted: w });
    else if (r.specJson !== specJson(w.spec)) actions.push({ type: 'restart', name, wanted: w });
    else if (r.target !== w.target) actions.push({ type: 'target', name, from: r.target, to: w.target });
  }
  return actions;
}
