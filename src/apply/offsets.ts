/**
 * `pipe offsets get/set/reset`: a connector's offsets on the runtime it runs
 * on, read and changed the way Kafka Connect requires (KIP-875): the
 * connector is stopped, its offsets changed, then it returns to the target
 * state it had. Input is checked before anything stops, so bad input changes
 * nothing; the change holds the project's apply lock, so no apply moves the
 * connector meanwhile.
 */
import {
  type ConnectorSpec,
  connectorAddress,
  type DesiredState,
  EMBEDDED_RUNTIME,
  type TargetState,
} from '../config/model.js';
import type { OffsetsFile } from '../config/offsets-file.js';
import { messageOf, PipeError } from '../errors.js';
import type { Admin } from '../kafka/client.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import { withSession } from '../kafka/session.js';
import type { ActualConnector } from '../plan/model.js';
import { parseConfigsTopic } from '../plan/read-state.js';
import {
  type ConnectorOffset,
  checkOffsets,
  KAFKA_TOPIC,
  type OffsetChange,
  offsetChanges,
  sortOffsets,
} from '../runtime/offsets.js';
import type { OffsetsSpec, Runtime } from '../runtime/runtime.js';
import { openRuntimes, type Runtimes } from '../runtime/runtimes.js';
import { acquireLock } from '../state/lock.js';
import { stateTopicNames } from '../state/records.js';
import { ensureStateTopics } from '../state/topics.js';
import { retry } from '../time/retry.js';

export interface ConnectorOffsetsRead {
  address: string;
  name: string;
  kind: ConnectorSpec['kind'];
  runtime: string;
  offsets: ConnectorOffset[];
}

function specOf(desired: DesiredState, address: string): ConnectorSpec {
  const spec = desired.connectors.find((c) => connectorAddress(c) === address);
  if (!spec) {
    throw new PipeError('CONNECTOR_UNKNOWN', `${address} names no source or sink of this project`, {
      meta: { hint: 'addresses look like source.<name> or sink.<name>' },
    });
  }
  return spec;
}

/** The connector as applied, and the runtime it was applied to: offsets live where it runs, not where the YAML may move it. */
function applied(
  desired: DesiredState,
  address: string,
  connectors: Record<string, ActualConnector>,
): { spec: ConnectorSpec; recorded: ActualConnector; runtime: string } {
  const spec = specOf(desired, address);
  const recorded = connectors[spec.name];
  if (!recorded || recorded.record.project !== desired.project.name) {
    throw new PipeError(
      'CONNECTOR_UNKNOWN',
      recorded
        ? `${address} is managed by project "${recorded.record.project}", not "${desired.project.name}"`
        : `${address} has not been applied: it runs nowhere yet, so it has no offsets`,
      { meta: { resource: address, hint: recorded ? undefined : 'apply the project first' } },
    );
  }
  return { spec, recorded, runtime: recorded.record.spec.runtime ?? EMBEDDED_RUNTIME };
}

function offsetsSpec(recorded: ActualConnector): OffsetsSpec {
  const { kind, name, topics, topicsRegex } = recorded.record.spec;
  return { kind, name, ...(topics ? { topics } : {}), ...(topicsRegex ? { topicsRegex } : {}) };
}

async function configsOf(kafka: Parameters<typeof readTopicToEnd>[0], admin: Admin, desired: DesiredState) {
  const { configs } = stateTopicNames(desired.project.state.topicPrefix);
  let exists: boolean;
  try {
    exists = (await retry(() => admin.listTopics())).includes(configs);
  } catch (err) {
    throw new PipeError('KAFKA_REQUEST', `listing topics failed: ${messageOf(err)}`, {
      cause: err,
      retriable: true,
    });
  }
  return parseConfigsTopic(configs, exists ? await readTopicToEnd(kafka, configs) : []);
}

export async function readConnectorOffsets(
  desired: DesiredState,
  address: string,
): Promise<ConnectorOffsetsRead> {
  return withSession(desired.project.kafka, 'offsets', async ({ kafka, admin, producer }) => {
    const configs = await configsOf(kafka, admin, desired);
    const { recorded, runtime } = applied(desired, address, configs.connectors);
    const runtimes = openRuntimes({ project: desired.project, kafka, admin, producer });
    const offsets = await runtimes
      .of({ name: recorded.name, runtime })
      .offsets(desired.project.name, offsetsSpec(recorded));
    return {
      address,
      name: recorded.name,
      kind: recorded.record.spec.kind,
      runtime,
      offsets: sortOffsets(offsets),
    };
  });
}

/** What a change of offsets will do, shown before it is done. */
export interface OffsetsPreview {
  address: string;
  runtime: string;
  kind: ConnectorSpec['kind'];
  changes: OffsetChange[];
  /** The state the connector returns to once its offsets are changed. */
  returnTo: TargetState;
  reset: boolean;
}

export interface ChangeOffsetsOptions {
  /** Change without asking. Without it, `confirm` must say yes. */
  autoApprove?: boolean;
  confirm?: (preview: OffsetsPreview) => Promise<boolean>;
  /** Called with what will change before anything does, to show it. */
  onPreview?: (preview: OffsetsPreview) => void;
  log?: (line: string) => void;
  holder?: string;
}

export interface ChangeOffsetsResult {
  preview: OffsetsPreview;
  /** False when there was nothing to change (the offsets already were so). */
  changed: boolean;
  offsets: ConnectorOffset[];
}

/** The partitions of the topics a sink's offsets name, for the check that each partition exists. */
async function partitionCounts(
  admin: Admin,
  offsets: readonly ConnectorOffset[],
): Promise<Map<string, number>> {
  const named = [
    ...new Set(
      offsets.flatMap((o) =>
        typeof o.partition[KAFKA_TOPIC] === 'string' ? [o.partition[KAFKA_TOPIC]] : [],
      ),
    ),
  ];
  const existing = new Set(await retry(() => admin.listTopics()));
  const present = named.filter((t) => existing.has(t));
  const counts = new Map<string, number>();
  if (present.length === 0) return counts;
  const { topics } = await retry(() => admin.fetchTopicMetadata({ topics: present }));
  for (const t of topics) counts.set(t.name, t.partitions.length);
  return counts;
}

function invalidOffsets(
  address: string,
  problems: ReturnType<typeof checkOffsets>,
  file: OffsetsFile | undefined,
): PipeError {
  const first = problems[0];
  const at = first && file ? file.where(first.index, first.field) : undefined;
  const lines = problems.map((p) => `offsets[${p.index}].${p.field}: ${p.message}`);
  return new PipeError(
    'OFFSETS_INVALID',
    `${file ? `${file.file}: ` : ''}offsets for ${address} that it cannot take (nothing was changed):\n  ${lines.join('\n  ')}`,
    {
      meta: {
        resource: address,
        ...(file ? { file: file.file } : {}),
        ...(at ? { line: at.line, column: at.column } : {}),
        ...(first ? { field: `offsets[${first.index}].${first.field}` } : {}),
      },
    },
  );
}

async function approve(preview: OffsetsPreview, options: ChangeOffsetsOptions): Promise<void> {
  if (options.autoApprove) return;
  if (!options.confirm) {
    throw new PipeError(
      'APPLY_REFUSED',
      'refusing to change offsets without approval: there is no terminal to ask',
      {
        meta: { hint: 'review the change, then approve it up front', remedies: ['auto_approve'] },
      },
    );
  }
  if (!(await options.confirm(preview)))
    throw new PipeError('APPLY_REFUSED', 'cancelled: no offsets were changed');
}

/**
 * The target state to return the connector to; refused before anything is
 * stopped when the runtime cannot change offsets (Kafka Connect 3.5 reads
 * them and stops connectors, but has no PATCH or DELETE).
 */
async function returnState(
  runtime: Runtime,
  project: string,
  recorded: ActualConnector,
): Promise<TargetState> {
  if (runtime.needsWorker) return recorded.targetState ?? recorded.record.spec.state;
  const read = await runtime.read(project, { existingTopics: new Set() });
  if (!read.dropsOffsets) {
    throw new PipeError(
      'OFFSETS_UNSUPPORTED',
      `Kafka Connect runtime "${runtime.name}" runs ${read.version}, which cannot change offsets (PATCH and DELETE /connectors/{name}/offsets came with 3.6): nothing was changed`,
      { meta: { hint: 'upgrade the Connect cluster to 3.6 or later' } },
    );
  }
  const live = read.live?.[recorded.name];
  if (!live) {
    throw new PipeError('CONNECTOR_UNKNOWN', `runtime "${runtime.name}" has no connector ${recorded.name}`, {
      meta: { hint: 'it was deleted outside pipe: apply the project to create it again' },
    });
  }
  return live.state;
}

/**
 * `set` (the offsets given, a null offset removing a partition's) or `reset`
 * (every offset removed; a sink's consumer group deleted, as Connect does).
 */
export async function changeConnectorOffsets(
  desired: DesiredState,
  address: string,
  request: { file: OffsetsFile } | 'reset',
  options: ChangeOffsetsOptions = {},
): Promise<ChangeOffsetsResult> {
  const log = options.log ?? (() => {});
  const project = desired.project.name;
  return withSession(
    desired.project.kafka,
    'offsets',
    async ({ kafka, admin, producer: connectProducer }) => {
      const producer = await connectProducer();
      const topics = await ensureStateTopics(admin, desired.project.state);
      const lock = await acquireLock({
        kafka,
        producer,
        topic: topics.configs,
        project,
        ...(options.holder ? { holder: options.holder } : {}),
      });
      try {
        const runtimes: Runtimes = openRuntimes({
          project: desired.project,
          kafka,
          admin,
          producer: async () => producer,
        });
        const configs = parseConfigsTopic(topics.configs, lock.records);
        const { spec, recorded, runtime: runtimeName } = applied(desired, address, configs.connectors);
        const wantedRuntime = spec.runtime ?? EMBEDDED_RUNTIME;
        if (wantedRuntime !== runtimeName) {
          throw new PipeError(
            'CONNECTOR_ELSEWHERE',
            `${address} runs on runtime "${runtimeName}", but the YAML puts it on "${wantedRuntime}": its offsets change where it runs, once the move is applied`,
            {
              meta: {
                resource: address,
                hint: 'apply the project first (the move carries the offsets over), then change them',
              },
            },
          );
        }
        const runtime = runtimes.of({ name: recorded.name, runtime: runtimeName });
        const target = offsetsSpec(recorded);
        const current = await runtime.offsets(project, target);
        let wanted: ConnectorOffset[] | 'reset' = 'reset';
        if (request !== 'reset') {
          wanted = request.file.offsets;
          const problems = checkOffsets(recorded.record.spec, wanted, {
            currentPartitions: current.map((o) => o.partition),
            ...(recorded.record.spec.kind === 'sink'
              ? { partitions: await partitionCounts(admin, wanted) }
              : {}),
          });
          if (problems.length > 0) throw invalidOffsets(address, problems, request.file);
        }
        const returnTo = await returnState(runtime, project, recorded);
        const preview: OffsetsPreview = {
          address,
          runtime: runtimeName,
          kind: recorded.record.spec.kind,
          changes: offsetChanges(current, wanted),
          returnTo,
          reset: request === 'reset',
        };
        options.onPreview?.(preview);
        // A sink reset deletes the group even when it has no commit left, as Connect's does: nothing to do then either.
        if (preview.changes.length === 0) return { preview, changed: false, offsets: sortOffsets(current) };
        await approve(preview, options);
        lock.assertHeld();
        log(`stopping ${address} on runtime ${runtimeName}…`);
        await runtime.setTargetState(project, recorded, 'stopped');
        try {
          if (wanted === 'reset') await runtime.resetOffsets(project, target);
          else await runtime.alterOffsets(project, target, wanted);
          log(`${preview.changes.length} offset${preview.changes.length === 1 ? '' : 's'} changed`);
        } finally {
          if (returnTo !== 'stopped') {
            log(`returning ${address} to ${returnTo}`);
            await runtime.setTargetState(project, recorded, returnTo);
          }
        }
        return { preview, changed: true, offsets: sortOffsets(await runtime.offsets(project, target)) };
      } finally {
        await lock.release().catch(() => undefined);
      }
    },
  );
}
