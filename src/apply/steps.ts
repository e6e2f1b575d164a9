/**
 * Turns each change of a plan into a step: what it says in the progress
 * output and the effect it performs. Every effect is idempotent, so a step
 * that ran before (an apply that stopped half-way) runs again harmlessly.
 */
import type { ConnectorSpec } from '../config/model.js';
import { PipeError } from '../errors.js';
import type { Admin, Producer } from '../kafka/client.js';
import { assertNever } from '../plan/actions.js';
import type { Change, ConnectorChange, ConnectorView, TopicChange } from '../plan/model.js';
import type { Runtimes } from '../runtime/runtimes.js';
import {
  type ConnectorRecord,
  configKey,
  encodeJson,
  type ManagedTopicRecord,
  type StateTopicNames,
} from '../state/records.js';
import { sealSpec } from '../state/secrets.js';
import { addPartitions, createTopics, deleteTopic, recreateTopic, setTopicConfig } from './topic-ops.js';

export interface Step {
  change: Change;
  /** Runs the step; the text it returns is added to the progress line (e.g. how many offsets were dropped). */
  run(): Promise<string | undefined>;
}

export interface StepContext {
  project: string;
  admin: Admin;
  producer: Producer;
  runtimes: Runtimes;
  topics: StateTopicNames;
  /** The desired connector specs by name, with everything the runtime needs (the plan keeps no origins). */
  connectors: ReadonlyMap<string, ConnectorSpec>;
  now: () => Date;
}

/** What the steps of one plan share: the topics to create, created together by the first create step. */
interface Batch {
  /** Creates every topic the plan creates; false when the batch failed and each step must create its own. */
  createTopics(): Promise<boolean>;
}

async function writeManaged(
  ctx: StepContext,
  name: string,
  record: ManagedTopicRecord | null,
): Promise<void> {
  await ctx.producer.send({
    topic: ctx.topics.configs,
    acks: -1,
    messages: [{ key: configKey.managedTopic(name), value: encodeJson(record) }],
  });
}

function managedRecord(ctx: StepContext, adopted: boolean): ManagedTopicRecord {
  return { project: ctx.project, since: ctx.now().toISOString(), adopted };
}

async function runTopic(ctx: StepContext, batch: Batch, c: TopicChange): Promise<string | undefined> {
  switch (c.action) {
    case 'create':
      // After a failed batch, the step's own create says which topic is at fault (the rest may exist already).
      if (!(await batch.createTopics())) await createTopics(ctx.admin, [{ name: c.name, state: c.after }]);
      await writeManaged(ctx, c.name, managedRecord(ctx, false));
      return undefined;
    case 'update':
    case 'adopt':
      if (c.attributes.some((a) => a.path === 'partitions'))
        await addPartitions(ctx.admin, c.name, c.after.partitions);
      if (c.attributes.some((a) => a.path.startsWith('config.')))
        await setTopicConfig(ctx.admin, c.name, c.after.config);
      if (c.action === 'adopt') await writeManaged(ctx, c.name, managedRecord(ctx, true));
      return undefined;
    case 'replace':
      await recreateTopic(ctx.admin, c.name, c.after);
      await writeManaged(ctx, c.name, managedRecord(ctx, false));
      return 'data deleted';
    case 'delete':
      await deleteTopic(ctx.admin, c.name);
      await writeManaged(ctx, c.name, null);
      return c.before ? 'data deleted' : 'state record removed';
    case 'no-op':
      return undefined;
    default:
      return assertNever(c);
  }
}

function dropped(
  result: { offsetsDropped: number; groupDeleted: boolean },
  kind: ConnectorChange['kind'],
): string {
  if (kind === 'sink') return result.groupDeleted ? 'consumer group deleted' : 'no consumer group to delete';
  return `${result.offsetsDropped} offset${result.offsetsDropped === 1 ? '' : 's'} dropped`;
}

/**
 * A connector on a Kafka Connect runtime is this project's once this record
 * says so; written after the cluster took the change, so a failure between
 * the two leaves a connector the next plan adopts rather than one it thinks
 * was deleted outside pipe.
 */
async function writeOwnership(ctx: StepContext, name: string, spec: ConnectorSpec | null): Promise<void> {
  let record: ConnectorRecord | null = null;
  if (spec) {
    const { origin: _origin, ...rest } = spec;
    record = { project: ctx.project, spec: sealSpec(rest), appliedAt: ctx.now().toISOString() };
  }
  await ctx.producer.send({
    topic: ctx.topics.configs,
    acks: -1,
    messages: [{ key: configKey.managedConnector(name), value: encodeJson(record) }],
  });
}

async function put(ctx: StepContext, spec: ConnectorSpec): Promise<void> {
  await ctx.runtimes.of(spec).putConnector(ctx.project, spec);
  if (spec.runtime) await writeOwnership(ctx, spec.name, spec);
}

async function remove(ctx: StepContext, before: ConnectorView) {
  const result = await ctx.runtimes.of(before).deleteConnector(before);
  if (before.runtime) await writeOwnership(ctx, before.name, null);
  return result;
}

/**
 * Moves a connector between runtimes without reading or skipping a record:
 * stopped on the old runtime (which stores its last offsets first), created
 * stopped on the new one, the offsets written there, deleted from the old one
 * (a sink's shared consumer group kept), then put in its target state. The
 * offsets are written before the old copy goes, so a failure half-way leaves
 * them in at least one place.
 */
async function move(
  ctx: StepContext,
  c: Extract<ConnectorChange, { action: 'move' }>,
  spec: ConnectorSpec,
): Promise<string> {
  const from = ctx.runtimes.of(c.before);
  const to = ctx.runtimes.of(spec);
  await from.setTargetState(ctx.project, c.before, 'stopped');
  const carried = c.move.groupKept ? [] : await from.offsets(ctx.project, c.before);
  await put(ctx, { ...spec, state: 'stopped' });
  // Kafka Connect before 3.7 creates it running, then stops it: its offsets change once no task is left.
  if (!to.needsWorker) await to.setTargetState(ctx.project, spec, 'stopped');
  if (carried.length > 0) await to.alterOffsets(ctx.project, spec, carried);
  await from.deleteConnector(c.before, { keepSinkGroup: c.move.groupKept });
  // Ownership of a connector on Kafka Connect is one record per name whichever cluster: the new one's is written last.
  if (c.before.runtime && (!spec.runtime || c.before.name !== spec.name))
    await writeOwnership(ctx, c.before.name, null);
  await put(ctx, spec);
  if (c.move.groupKept) return `consumer group connect-${c.name} kept`;
  const renamed = c.move.renamedFrom ? ` from ${c.before.name}` : '';
  return `${carried.length} offset${carried.length === 1 ? '' : 's'} carried${renamed}`;
}

async function runConnector(ctx: StepContext, c: ConnectorChange): Promise<string | undefined> {
  const spec = () => {
    const s = ctx.connectors.get(c.name);
    if (!s)
      throw new PipeError('INTERNAL', `connector ${c.name} is in the plan but not in the desired state`);
    return s;
  };
  switch (c.action) {
    case 'create':
    case 'update':
      await put(ctx, spec());
      return undefined;
    case 'replace': {
      const result = await remove(ctx, c.before);
      await put(ctx, spec());
      return dropped(result, c.before.kind);
    }
    case 'delete':
      return dropped(await remove(ctx, c.before), c.kind);
    case 'move':
      return move(ctx, c, spec());
    case 'adopt':
      // Taken over as it is: the cluster is only written (and the connector restarted) when its config differs.
      if (c.attributes.length > 0) await put(ctx, spec());
      else await writeOwnership(ctx, c.name, spec());
      return c.attributes.length > 0 ? 'config changed' : 'taken over without a restart';
    case 'no-op':
      return undefined;
    default:
      return assertNever(c);
  }
}

/**
 * Creating topics one by one costs a request and a wait for leaders each,
 * about 40 ms: a minute for 1,000 topics. The first create step creates them
 * all in a few requests instead; each step still records its own topic as
 * managed, so a failure half-way leaves unrecorded topics that the next plan
 * adopts rather than re-creates.
 */
function batchFor(changes: readonly Change[], ctx: StepContext): Batch {
  let created: Promise<boolean> | undefined;
  const creates = changes.flatMap((c) =>
    c.resource === 'topic' && c.action === 'create' ? [{ name: c.name, state: c.after }] : [],
  );
  return {
    createTopics() {
      created ??= createTopics(ctx.admin, creates).then(
        () => true,
        () => false,
      );
      return created;
    },
  };
}

export function stepsFor(changes: readonly Change[], ctx: StepContext): Step[] {
  const batch = batchFor(changes, ctx);
  return changes
    .filter((c) => c.action !== 'no-op')
    .map((change) => ({
      change,
      run: () => (change.resource === 'topic' ? runTopic(ctx, batch, change) : runConnector(ctx, change)),
    }));
}
