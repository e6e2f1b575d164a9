/**
 * The decoder of the configs topic: each record becomes a typed ConfigRecord
 * or a ForeignRecord naming where it is. Keys pipe does not use (Kafka
 * Connect's `task-*`, `commit-*`, `session-key`) are `other` and their values
 * are never parsed; a value under one of pipe's keys that does not fit its
 * shape (Connect's `{properties}` under `connector-<name>` included) is
 * foreign.
 */

import { type Decoded, decodeJson, foreign, type RecordPlace } from './foreign.js';
import {
  anyObject,
  arrayOf,
  boolean,
  both,
  type Check,
  integer,
  isoTime,
  object,
  oneOf,
  optional,
  recordOf,
  string,
} from './guards.js';
import type {
  ConnectorRecord,
  DeletedConnectorRecord,
  LockRecord,
  ManagedTopicRecord,
  TargetStateRecord,
} from './records.js';

export type ConfigRecord =
  | { kind: 'connector'; name: string; value: ConnectorRecord | null }
  | { kind: 'target-state'; name: string; value: TargetStateRecord | null }
  | { kind: 'managed-topic'; name: string; value: ManagedTopicRecord | null }
  | { kind: 'managed-connector'; name: string; value: ConnectorRecord | null }
  | { kind: 'deleted-connector'; name: string; value: DeletedConnectorRecord | null }
  | { kind: 'lock'; value: LockRecord | null }
  | { kind: 'other'; key: string };

const converter = object({ type: string, schemas: optional(boolean) });

/**
 * What the worker and the planner use of a stored spec. Connector settings
 * (`config`) are the connector's to check when it starts.
 */
const spec = object({
  kind: oneOf('source', 'sink'),
  name: string,
  connector: string,
  runtime: optional(string),
  tasks: both(integer, (v, p) => ((v as number) >= 1 ? undefined : `field ${p} is below 1`)),
  topic: optional(string),
  topics: optional(arrayOf(string)),
  topicsRegex: optional(string),
  config: anyObject,
  key: converter,
  value: converter,
  header: converter,
  transforms: arrayOf(object({ type: string, config: anyObject })),
  errors: object({ tolerance: oneOf('none', 'all'), deadLetterTopic: optional(string), retries: integer }),
  state: oneOf('running', 'paused', 'stopped'),
  protect: boolean,
  sensitive: arrayOf(string),
  sealed: optional(recordOf(string)),
});

const outside = { via: oneOf('rest'), worker: string, at: isoTime };

const connectorRecordCheck: Check = object({
  project: string,
  spec,
  appliedAt: string,
  outsidePipe: optional(object({ ...outside, created: boolean })),
});

const deletedConnectorRecordCheck: Check = object({ project: string, ...outside });

const targetStateRecordCheck: Check = object({
  state: oneOf('STARTED', 'PAUSED'),
  'state.v2': optional(oneOf('STARTED', 'PAUSED', 'STOPPED')),
});

const managedTopicRecordCheck: Check = object({ project: string, since: string, adopted: boolean });

const lockRecordCheck: Check = object({
  id: string,
  holder: string,
  since: isoTime,
  expiresAt: isoTime,
});

const PREFIXES = [
  ['connector-', 'connector'],
  ['target-state-', 'target-state'],
  ['managed-topic-', 'managed-topic'],
  ['managed-connector-', 'managed-connector'],
  ['deleted-connector-', 'deleted-connector'],
] as const;

/** Decodes one record of `<prefix>.configs`. */
export function decodeConfigRecord(
  place: RecordPlace,
  key: Buffer | null,
  value: Buffer | null,
): Decoded<ConfigRecord> {
  if (key === null) return foreign(place, key, 'the record has no key');
  const text = key.toString('utf8');
  if (text === 'lock') {
    if (value === null) return { ok: true, record: { kind: 'lock', value: null } };
    const lock = decodeJson<LockRecord>(place, key, value, lockRecordCheck, 'a lock record');
    return lock.ok ? { ok: true, record: { kind: 'lock', value: lock.record } } : lock;
  }
  const match = PREFIXES.find(([prefix]) => text.startsWith(prefix));
  if (!match) return { ok: true, record: { kind: 'other', key: text } };
  const [prefix, kind] = match;
  const name = text.slice(prefix.length);
  if (value === null) return { ok: true, record: { kind, name, value: null } };
  switch (kind) {
    case 'connector':
    case 'managed-connector': {
      const r = decodeJson<ConnectorRecord>(
        place,
        key,
        value,
        connectorRecordCheck,
        'a pipe connector record',
      );
      if (!r.ok) return r;
      if (r.record.spec.name !== name)
        return foreign(place, key, `the record is for connector ${r.record.spec.name}, not ${name}`);
      return { ok: true, record: { kind, name, value: r.record } };
    }
    case 'target-state': {
      const r = decodeJson<TargetStateRecord>(place, key, value, targetStateRecordCheck, 'a target state');
      return r.ok ? { ok: true, record: { kind, name, value: r.record } } : r;
    }
    case 'managed-topic': {
      const r = decodeJson<ManagedTopicRecord>(
        place,
        key,
        value,
        managedTopicRecordCheck,
        'a managed-topic record',
      );
      return r.ok ? { ok: true, record: { kind, name, value: r.record } } : r;
    }
    case 'deleted-connector': {
      const r = decodeJson<DeletedConnectorRecord>(
        place,
        key,
        value,
        deletedConnectorRecordCheck,
        'a deleted-connector record',
      );
      return r.ok ? { ok: true, record: { kind, name, value: r.record } } : r;
    }
  }
}
