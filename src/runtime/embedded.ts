/**
 * The control side of the embedded runtime: connectors are records in the
 * project's configs topic, which pipe's worker (`pipe run`, `pipe up`) reads
 * and runs, reporting back in the status topic. Writes go through a plain
 * producer with acks=all: the state topics hold no transaction markers, which
 * readTopicToEnd relies on.
 */

import { type ConnectorSpec, EMBEDDED_RUNTIME, type TargetState } from '../config/model.js';
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
import { waitUntil } from '../time/wait-until.js';
import {
  alterSinkOffsets,
  deleteGroup,
  deleteSinkGroup,
  fileSourceOffsets,
  groupErrorType,
  offsetRecords,
  sinkOffsets,
  topicSourceOffsets,
  writeOffsetFile,
} from './embedded-offsets.js';
import type { ConnectorOffset } from './offsets.js';
import type {
  DeleteResult,
  OffsetsSpec,
  ReadContext,
  Runtime,
  RuntimeRead,
  RuntimeStatus,
} from './runtime.js';
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
  /** The worker's offset file (absolute), when `worker.offsetStorage` is `file`: sources keep their offsets there. */
  offsetFile?: string;
  /** How long a running worker may take to stop a connector (default 60 s). */
  stopTimeoutMs?: number;
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
      // Applied as the YAML says: a deletion through a worker's REST API is no longer drift.
      { key: configKey.deletedConnector(spec.name), value: null },
    ]);
  }

  async deleteConnector(
    spec: Pick<ConnectorSpec, 'kind' | 'name'>,
    options: { keepSinkGroup?: boolean } = {},
  ): Promise<DeleteResult> {
    const { topics } = this.#o;
    // The config goes first, so a worker stops the connector before its offsets are dropped.
    await this.#send(topics.configs, [
      { key: configKey.connector(spec.name), value: null },
      { key: configKey.targetState(spec.name), value: null },
      { key: configKey.deletedConnector(spec.name), value: null },
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
    const groupDeleted =
      spec.kind === 'sink' && !options.keepSinkGroup
        ? await this.#deleteGroup(`connect-${spec.name}`)
        : false;
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
        return await deleteGroup(this.#o.admin, group);
      } catch (err) {
        const type = groupErrorType(err);
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
      return { status: { connectors: {}, liveWorkers: [] }, dropsOffsets: true, readsOffsets: true };
    }
    const snapshot = foldStatusTopic(topic, await readTopicToEnd(this.#o.kafka, topic));
    return {
      status: runtimeStatus(snapshot, project, this.#now()),
      foreign: snapshot.foreign,
      dropsOffsets: true,
      readsOffsets: true,
    };
  }

  async restart(name: string): Promise<void> {
    throw embeddedRestartRefused(name);
  }

  /**
   * Writes the target state; `stopped` then waits until the project's worker
   * reports the connector STOPPED after this request (it stores the tasks'
   * last offsets before it says so). With no worker running, nothing runs it.
   */
  async setTargetState(
    project: string,
    spec: Pick<ConnectorSpec, 'name'>,
    state: TargetState,
  ): Promise<void> {
    const requested = this.#now().getTime();
    const already =
      state === 'stopped' && (await this.status(project)).connectors[spec.name]?.state === 'STOPPED';
    await this.#send(this.#o.topics.configs, [
      { key: configKey.targetState(spec.name), value: encodeJson(targetStateRecord(state)) },
    ]);
    if (state !== 'stopped' || already) return;
    const timeoutMs = this.#o.stopTimeoutMs ?? 60_000;
    const stopped = await waitUntil(
      async () => {
        const status = await this.status(project);
        if (status.liveWorkers.length === 0) return true;
        const s = status.connectors[spec.name];
        return s && s.state === 'STOPPED' && (s.reportedAt ?? 0) >= requested ? true : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
    if (!stopped) {
      throw new PipeError(
        'CONNECTOR_RUNNING',
        `the worker did not report connector ${spec.name} STOPPED within ${timeoutMs} ms`,
        { meta: { hint: 'check the `pipe run` log; nothing was changed' } },
      );
    }
  }

  /** Offsets change only while no worker runs the connector: it is STOPPED, or no worker of the project is live. */
  async #assertStopped(project: string, name: string): Promise<{ workerLive: boolean }> {
    const status = await this.status(project);
    if (status.liveWorkers.length === 0) return { workerLive: false };
    const state = status.connectors[name]?.state;
    if (state !== undefined && state !== 'STOPPED' && state !== 'UNASSIGNED') {
      throw new PipeError(
        'CONNECTOR_RUNNING',
        `connector ${name} is ${state} on the embedded runtime: its offsets change only while it is STOPPED`,
        {
          meta: { hint: 'stop it first (state: stopped), or use `pipe offsets`, which stops and resumes it' },
        },
      );
    }
    return { workerLive: true };
  }

  #sourceOffsets(name: string) {
    return this.#o.offsetFile
      ? fileSourceOffsets(this.#o.offsetFile, name)
      : topicSourceOffsets(this.#o.kafka, this.#o.topics.offsets, name);
  }

  async offsets(_project: string, spec: OffsetsSpec): Promise<ConnectorOffset[]> {
    if (spec.kind === 'sink') return sinkOffsets(this.#o.admin, spec);
    return (await this.#sourceOffsets(spec.name)).map(({ partition, offset }) => ({ partition, offset }));
  }

  async #writeSource(project: string, name: string, records: Array<{ key: Buffer; value: Buffer | null }>) {
    const { offsetFile } = this.#o;
    if (!offsetFile) return this.#send(this.#o.topics.offsets, records);
    const { workerLive } = await this.#assertStopped(project, name);
    if (workerLive) {
      // The worker rewrites its whole file from memory at every flush: a change made beside it would be lost.
      throw new PipeError(
        'CONNECTOR_RUNNING',
        `offsets in the worker's offset file ${offsetFile} change only while no worker runs: a running worker rewrites the file`,
        {
          meta: {
            file: offsetFile,
            hint: 'stop `pipe run` / `pipe up`, change the offsets, then start it again',
          },
        },
      );
    }
    await writeOffsetFile(offsetFile, records);
  }

  async alterOffsets(project: string, spec: OffsetsSpec, offsets: readonly ConnectorOffset[]): Promise<void> {
    await this.#assertStopped(project, spec.name);
    if (spec.kind === 'sink') return alterSinkOffsets(this.#o.admin, spec, offsets);
    const current = await this.#sourceOffsets(spec.name);
    await this.#writeSource(project, spec.name, offsetRecords(spec.name, current, offsets));
  }

  async resetOffsets(project: string, spec: OffsetsSpec): Promise<void> {
    await this.#assertStopped(project, spec.name);
    if (spec.kind === 'sink') {
      await deleteSinkGroup(this.#o.admin, spec.name);
      return;
    }
    const current = await this.#sourceOffsets(spec.name);
    await this.#writeSource(
      project,
      spec.name,
      current.map((c) => ({ key: Buffer.from(c.key, 'utf8'), value: null })),
    );
  }
}
