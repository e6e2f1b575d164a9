/**
 * Turns each change of a plan into a step: what it says in the progress
 * output and the effect it performs. Every effect is idempotent, so a step
 * that ran before (an apply that stopped half-way) runs again harmlessly.
 */
import type { ConnectorSpec } from '../config/model.js';
import type { Admin, Producer } from '../kafka/client.js';
import { assertNever } from '../plan/actions.js';
import type { Change, ConnectorChange, TopicChange } from '../plan/model.js';
import type { Runtime } from '../runtime/runtime.js';
import { configKey, encodeJson, type ManagedTopicRecord, type StateTopicNames } from '../state/records.js';
import { addPartitions, createTopic, deleteTopic, recreateTopic, setTopicConfig } from './topic-ops.js';

export interface Step {
  change: Change;
  /** Runs the step; the text it returns is added to the progress line (e.g. how many offsets were dropped). */
  run(): Promise<string | undefined>;
}

export interface StepContext {
  project: string;
  admin: Admin;
  producer: Producer;
  runtime: Runtime;
  topics: StateTopicNames;
  /** The desired connector specs by name, with everything the runtime needs (the plan keeps no origins). */
  connectors: ReadonlyMap<string, ConnectorSpec>;
  now: () => Date;
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

async function runTopic(ctx: StepContext, c: TopicChange): Promise<string | undefined> {
  switch (c.action) {
    case 'create':
      await createTopic(ctx.admin, c.name, c.after!);
      await writeManaged(ctx, c.name, managedRecord(ctx, false));
      return undefined;
    case 'update':
    case 'adopt': {
      const after = c.after!;
      if (c.attributes.some((a) => a.path === 'partitions'))
        await addPartitions(ctx.admin, c.name, after.partitions);
      if (c.attributes.some((a) => a.path.startsWith('config.')))
        await setTopicConfig(ctx.admin, c.name, after.config);
      if (c.action === 'adopt') await writeManaged(ctx, c.name, managedRecord(ctx, true));
      return undefined;
    }
    case 'replace':
      await recreateTopic(ctx.admin, c.name, c.after!);
      await writeManaged(ctx, c.name, managedRecord(ctx, false));
      return 'data deleted';
    case 'delete':
      await deleteTopic(ctx.admin, c.name);
      await writeManaged(ctx, c.name, null);
      return c.before ? 'data deleted' : 'state record removed';
    case 'no-op':
      return undefined;
    default:
      return assertNever(c.action);
  }
}

function dropped(
  result: { offsetsDropped: number; groupDeleted: boolean },
  kind: ConnectorChange['kind'],
): string {
  if (kind === 'sink') return result.groupDeleted ? 'consumer group deleted' : 'no consumer group to delete';
  return `${result.offsetsDropped} offset${result.offsetsDropped === 1 ? '' : 's'} dropped`;
}

async function runConnector(ctx: StepContext, c: ConnectorChange): Promise<string | undefined> {
  const spec = () => {
    const s = ctx.connectors.get(c.name);
    if (!s) throw new Error(`connector ${c.name} is not in the desired state`);
    return s;
  };
  switch (c.action) {
    case 'create':
    case 'update':
      await ctx.runtime.putConnector(ctx.project, spec());
      return undefined;
    case 'replace': {
      const result = await ctx.runtime.deleteConnector(c.before!);
      await ctx.runtime.putConnector(ctx.project, spec());
      return dropped(result, c.before!.kind);
    }
    case 'delete':
      return dropped(await ctx.runtime.deleteConnector(c.before!), c.kind);
    case 'adopt':
      throw new Error('connectors are never adopted: they exist only in the project state');
    case 'no-op':
      return undefined;
    default:
      return assertNever(c.action);
  }
}

export function stepsFor(changes: readonly Change[], ctx: StepContext): Step[] {
  return changes
    .filter((c) => c.action !== 'no-op')
    .map((change) => ({
      change,
      run: () => (change.resource === 'topic' ? runTopic(ctx, change) : runConnector(ctx, change)),
    }));
}
