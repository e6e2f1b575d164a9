/**
 * Reads everything a plan depends on, in a fixed, small number of requests
 * whatever the size of the project: the topic list, one metadata and one
 * describeConfigs request for the topics concerned, one read of the configs
 * topic and one of the status topic.
 */
import type { DesiredState } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import type { Admin, Kafka } from '../kafka/client.js';
import { readTopicToEnd, type TopicRecord } from '../kafka/read-topic.js';
import { runtimeStatus } from '../runtime/status.js';
import { leaseHolder } from '../state/lock.js';
import { stateTopicNames } from '../state/records.js';
import { foldStatusTopic } from '../state/status-topic.js';
import { retry } from '../time/retry.js';
import type { ActualState } from './model.js';
import { type ConfigsSnapshot, parseConfigsTopic } from './read-state.js';
import { readTopicConfigKeys, readTopics } from './read-topics.js';
import { topicsOf } from './topic-use.js';

export interface ReadActualOptions {
  /** Records of the configs topic already read (by the lock), so apply does not read it twice. */
  configRecords?: readonly TopicRecord[];
  /** The caller's own lease, which is not "another apply in progress". */
  ownLockId?: string;
  now?: () => Date;
}

export interface ActualRead {
  actual: ActualState;
  configs: ConfigsSnapshot;
}

export async function readActualState(
  kafka: Kafka,
  admin: Admin,
  desired: DesiredState,
  options: ReadActualOptions = {},
): Promise<ActualRead> {
  const names = stateTopicNames(desired.project.state.topicPrefix);
  let existing: Set<string>;
  try {
    existing = new Set(await retry(() => admin.listTopics()));
  } catch (err) {
    throw new PipeError('KAFKA_REQUEST', `listing topics failed: ${messageOf(err)}`, {
      cause: err,
      retriable: true,
    });
  }
  const stateTopicsExist = existing.has(names.configs);
  const [configRecords, statusRecords] = await Promise.all([
    options.configRecords ?? (stateTopicsExist ? readTopicToEnd(kafka, names.configs) : []),
    existing.has(names.status) ? readTopicToEnd(kafka, names.status) : [],
  ]);
  const configs = parseConfigsTopic(names.configs, configRecords);
  const project = desired.project.name;
  const now = (options.now ?? (() => new Date()))();
  const statusSnapshot = foldStatusTopic(names.status, statusRecords);
  const status = runtimeStatus(statusSnapshot, project, now);
  const lease = leaseHolder(
    configs.locks.map((l) => l.value),
    now,
  );
  for (const c of Object.values(configs.connectors)) {
    const s = status.connectors[c.name];
    if (s && c.record.project === project) c.status = s;
  }

  const wanted = new Set(desired.topics.map((t) => t.name));
  for (const [name, m] of Object.entries(configs.managedTopics)) if (m.project === project) wanted.add(name);
  // Whether the topics connectors name exist decides whether the plan can run them.
  for (const c of desired.connectors) for (const t of topicsOf(c)) wanted.add(t);
  const present = [...wanted].filter((n) => existing.has(n));
  // Any existing topic tells which keys a topic config may have; the project's own first.
  const sample = present[0] ?? (stateTopicsExist ? names.configs : [...existing].sort()[0]);
  const [topics, topicConfigKeys] = await Promise.all([
    readTopics(admin, present),
    sample === undefined ? undefined : readTopicConfigKeys(admin, sample),
  ]);
  return {
    actual: {
      stateTopicsExist,
      topics,
      managedTopics: configs.managedTopics,
      connectors: configs.connectors,
      foreignRecords: [...configs.foreign, ...statusSnapshot.foreign],
      ...(topicConfigKeys && topicConfigKeys.length > 0 ? { topicConfigKeys } : {}),
      ...(lease && lease.id !== options.ownLockId
        ? { applyInProgress: { holder: lease.holder, since: lease.since } }
        : {}),
    },
    configs,
  };
}
