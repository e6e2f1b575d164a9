/**
 * Turns the records of the configs topic into what the planner and the lock
 * need: the managed topics, the recorded connectors with their target states
 * (those pipe's worker runs, and those it manages on Kafka Connect runtimes),
 * the lock records in log order, and the records skipped as foreign. Pure:
 * the caller reads the topic.
 */
import type { TopicRecord } from '../kafka/read-topic.js';
import { decodeConfigRecord } from '../state/configs-topic.js';
import type { ForeignRecord } from '../state/foreign.js';
import {
  type ConnectorRecord,
  type DeletedConnectorRecord,
  type LockRecord,
  type ManagedTopicRecord,
  type TargetStateRecord,
  targetStateOf,
} from '../state/records.js';
import type { ActualConnector } from './model.js';

export interface ConfigsSnapshot {
  managedTopics: Record<string, ManagedTopicRecord>;
  connectors: Record<string, ActualConnector>;
  /** Connectors deleted through a worker's REST API since an apply last wrote them, by name. */
  deletedOutside: Record<string, DeletedConnectorRecord>;
  /** Every readable `lock` record, oldest first: the lease is decided by replaying them. */
  locks: Array<{ offset: string; value: LockRecord | null }>;
  /** Records skipped because pipe cannot read them, in log order. */
  foreign: ForeignRecord[];
}

export function parseConfigsTopic(topic: string, records: readonly TopicRecord[]): ConfigsSnapshot {
  const managedTopics = new Map<string, ManagedTopicRecord>();
  const connectors = new Map<string, ConnectorRecord>();
  const managedConnectors = new Map<string, ConnectorRecord>();
  const targetStates = new Map<string, TargetStateRecord>();
  const deletedOutside = new Map<string, DeletedConnectorRecord>();
  const locks: ConfigsSnapshot['locks'] = [];
  const foreign: ForeignRecord[] = [];
  for (const r of records) {
    const decoded = decodeConfigRecord({ topic, partition: r.partition, offset: r.offset }, r.key, r.value);
    if (!decoded.ok) {
      foreign.push(decoded.foreign);
      continue;
    }
    const rec = decoded.record;
    switch (rec.kind) {
      case 'managed-topic':
        if (rec.value) managedTopics.set(rec.name, rec.value);
        else managedTopics.delete(rec.name);
        break;
      case 'connector':
        if (rec.value) connectors.set(rec.name, rec.value);
        else connectors.delete(rec.name);
        break;
      case 'managed-connector':
        if (rec.value) managedConnectors.set(rec.name, rec.value);
        else managedConnectors.delete(rec.name);
        break;
      case 'deleted-connector':
        if (rec.value) deletedOutside.set(rec.name, rec.value);
        else deletedOutside.delete(rec.name);
        break;
      case 'target-state':
        if (rec.value) targetStates.set(rec.name, rec.value);
        else targetStates.delete(rec.name);
        break;
      case 'lock':
        locks.push({ offset: r.offset, value: rec.value });
        break;
      case 'other':
        break;
    }
  }
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    managedTopics: Object.fromEntries(sorted(managedTopics)),
    connectors: Object.fromEntries([
      ...sorted(connectors).map(([name, record]) => {
        const target = targetStates.get(name);
        const connector: ActualConnector = { name, record };
        if (target) connector.targetState = targetStateOf(target);
        return [name, connector] as const;
      }),
      // On a Kafka Connect runtime the cluster holds the target state; the record holds the one applied.
      ...sorted(managedConnectors).map(([name, record]) => [name, { name, record }] as const),
    ]),
    deletedOutside: Object.fromEntries(sorted(deletedOutside)),
    locks,
    foreign,
  };
}
