/**
 * The control side of the embedded runtime: connectors are records in the
 * project's configs topic, which pipe's worker (`pipe run`, `pipe up`) reads
 * and runs, reporting back in the status topic. Writes go through a plain
 * producer with acks=all: the state topics hold no transaction markers, which
 * readTopicToEnd relies on.
 */

import { type ConnectorSpec, EMBEDDED_RUNTIME } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import type { Admin, Kafka, Producer } from '../kafka/client.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import {
  type ConnectorRecord,
  configKey,
  decodeOffsetKey,
  encodeJson,
  type StateTopicNames,
  targetStateRecord,
} from '../state/records.js';
import { sealSpec } from '../state/secrets.js';
import { foldStatusTopic } from '../state/status-topic.js';
import { retry } from '../time/retry.js';
import type { DeleteResult, ReadContext, Runtime, RuntimeRead, RuntimeStatus } from './runtime.js';
import { runtimeStatus, statusKeysByConnector } from './status.js';

/** The embedded worker restarts failed tasks itself; there is no restart on request. */
export function embeddedRestartRefused(name: string): PipeError {
  return new PipeError(
    'USAGE',
    `connector ${name} runs on the embedded runtime, whose worker restarts failed tasks itself`,
    { meta: { hint: 'restart the `pipe run` or `pipe up` process to restart every connector it runs' } },
  );
}

export interface EmbeddedRuntimeOptions {
  kafka: Kafka;
  admin: Admin;
  /** Connected on first write: planning never writes. */
  producer: () => Promise<Producer>;
  topics: StateTopicNames;
  now?: () => Date;
  /** How long a sink's consumer group may stay busy after its connector was deleted. */
  groupDrainMs?: number;
}

interface StateRecords {
  /** connector → its offset keys (by their base64), with whether the latest value is an offset or a tombstone. */
  offsets: Map<string, Map<string, { key: Buffer; live: boolean }>>;
  status: Map<string, string[]>;
}

interface Message {
  key: string | Buffer;
  value: Buffer | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class EmbeddedRuntime implements Runtime {
  readonly name = EMBEDDED_RUNTIME;
  readonly needsWorker = true;
  readonly #o: EmbeddedRuntimeOptions;
  readonly #now: () => Date;
  #records?: Promise<StateRecords>;

  constructor(options: EmbeddedRuntimeOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  cannotRun(spec: Pick<ConnectorSpec, 'connector'>): string | undefined {
    if (spec.connector.startsWith('connect:')) {
      return `the embedded worker cannot run ${spec.connector}: it runs pipe's built-in connectors only`;
    }
    return undefined;
  }

  async #send(topic: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const producer = await this.#o.producer();
      await retry(() => producer.send({ topic, acks: -1, messages }));
    } catch (err) {
      throw new PipeError('KAFKA_REQUEST', `writing to ${topic} failed: ${messageOf(err)}`, {
        cause: err,
        retriable: true,
      });
    }
  }

  async putConnector(project: string, spec: ConnectorSpec): Promise<void> {
    const { origin: _origin, ...rest } = spec;
    const record: ConnectorRecord = { project, spec: sealSpec(rest), appliedAt: this.#now().toISOString() };
    // Target state first: a worker that sees the config must already know whether to start it.
    await this.#send(this.#o.topics.configs, [
      { key: configKey.targetState(spec.name), value: encodeJson(targetStateRecord(spec.state)) },
      { key: configKey.connector(spec.name), value: encodeJson(record) },
    ]);
  }

  async deleteConnector(spec: Pick<ConnectorSpec, 'kind' | 'name'>): Promise<DeleteResult> {
    const { topics } = this.#o;
    // The config goes first, so a worker stops the connector before its offsets are dropped.
    await this.#send(topics.configs, [
      { key: configKey.connector(spec.name), value: null },
      { key: configKey.targetState(spec.name), value: null },
    ]);
    const { offsets, status } = await this.#stateRecords();
    // Tombstones carry the exact key bytes: the partitioner (murmur2, as Java's) and compaction match on them.
    const keys = offsets.get(spec.name) ?? new Map<string, { key: Buffer; live: boolean }>();
    await this.#send(
      topics.offsets,
      [...keys.values()].map(({ key }) => ({ key, value: null })),
    );
    await this.#send(
      topics.status,
      (status.get(spec.name) ?? []).map((key) => ({ key, value: null })),
    );
    const offsetsDropped = [...keys.values()].filter((k) => k.live).length;
    offsets.delete(spec.name);
    status.delete(spec.name);
    const groupDeleted = spec.kind === 'sink' ? await this.#deleteGroup(`connect-${spec.name}`) : false;
    return { offsetsDropped, groupDeleted };
  }

  /**
   * The offsets and status keys of every connector, read once per runtime
   * (one apply) however many connectors it deletes: 200 deletions are two
   * topic reads, not 400. A key a worker adds during the apply (a source
   * seeing a new partition) is missed; the next destroy or delete finds it.
   */
  #stateRecords(): Promise<StateRecords> {
    this.#records ??= (async () => {
      const [offsets, status] = await Promise.all([
        readTopicToEnd(this.#o.kafka, this.#o.topics.offsets),
        readTopicToEnd(this.#o.kafka, this.#o.topics.status),
      ]);
      const byConnector = new Map<string, Map<string, { key: Buffer; live: boolean }>>();
      for (const r of offsets) {
        const connector = r.key === null ? undefined : decodeOffsetKey(r.key)?.connector;
        if (connector === undefined || r.key === null) continue;
        const keys = byConnector.get(connector) ?? new Map<string, { key: Buffer; live: boolean }>();
        keys.set(r.key.toString('base64'), { key: r.key, live: r.value !== null });
        byConnector.set(connector, keys);
      }
      return { offsets: byConnector, status: statusKeysByConnector(this.#o.topics.status, status) };
    })();
    return this.#records;
  }

  /** Deletes a sink's consumer group, waiting for a worker that still runs it to leave. */
  async #deleteGroup(group: string): Promise<boolean> {
    const deadline = this.#now().getTime() + (this.#o.groupDrainMs ?? 20000);
    for (;;) {
      try {
        await this.#o.admin.deleteGroups([group]);
        return true;
      } catch (err) {
        const type = groupErrorType(err);
        if (type === 'GROUP_ID_NOT_FOUND') return false;
        if (type !== 'NON_EMPTY_GROUP' || this.#now().getTime() > deadline) {
          throw new PipeError('KAFKA_REQUEST', `deleting consumer group ${group} failed: ${messageOf(err)}`, {
            cause: err,
            retriable: true,
            meta: {
              hint:
                type === 'NON_EMPTY_GROUP'
                  ? 'a worker still consumes in this group: stop it, or wait until it notices the connector is gone, then apply again'
                  : undefined,
            },
          });
        }
        await sleep(250);
      }
    }
  }

  async status(project: string): Promise<RuntimeStatus> {
    const { status } = this.#o.topics;
    // The plan of this apply already warned of records it cannot read; polling does not repeat it.
    return runtimeStatus(
      foldStatusTopic(status, await readTopicToEnd(this.#o.kafka, status)),
      project,
      this.#now(),
    );
  }

  /** The connectors themselves are pipe's records, which plan reads with the rest of the configs topic. */
  async read(project: string, context: ReadContext): Promise<RuntimeRead> {
    const { status: topic } = this.#o.topics;
    if (!context.existingTopics.has(topic)) {
      return { status: { connectors: {}, liveWorkers: [] }, dropsOffsets: true };
    }
    const snapshot = foldStatusTopic(topic, await readTopicToEnd(this.#o.kafka, topic));
    return {
      status: runtimeStatus(snapshot, project, this.#now()),
      foreign: snapshot.foreign,
      dropsOffsets: true,
    };
  }

  async restart(name: string): Promise<void> {
    throw embeddedRestartRefused(name);
  }
}

function groupErrorType(err: unknown): string | undefined {
  const e = err as { type?: string; groups?: Array<{ error?: { type?: string } }> };
  return e.groups?.[0]?.error?.type ?? e.type;
}
