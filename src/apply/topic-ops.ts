/**
 * The Kafka admin operations apply performs on topics, each idempotent so an
 * apply that stopped half-way converges when run again.
 */
import { messageOf, PipeError } from '../errors.js';
import type { Admin } from '../kafka/client.js';
import { createTopicsAndWait, waitForTopics } from '../kafka/create-topics.js';
import type { TopicState } from '../plan/model.js';
import { retry } from '../time/retry.js';
import { waitUntil } from '../time/wait-until.js';

const RESOURCE_TOPIC = 2;

function configEntries(config: Record<string, string>) {
  return Object.entries(config).map(([name, value]) => ({ name, value }));
}

async function exists(admin: Admin, topic: string): Promise<boolean> {
  return (await retry(() => admin.listTopics())).includes(topic);
}

/** Topics per CreateTopics request: large enough that 1,000 topics are a handful of requests. */
const CREATE_BATCH = 200;

/**
 * kafkajs reports a failed CreateTopics as "Topic creation errors" with the
 * broker's reasons one level down; those reasons are what the user needs.
 */
function withReasons(err: unknown): unknown {
  const nested = (err as { errors?: Array<{ topic?: string; message?: string }> }).errors;
  if (!Array.isArray(nested) || nested.length === 0) return err;
  const reasons = nested.map((e) => (e.topic ? `${e.topic}: ${e.message}` : String(e.message))).join('; ');
  return new Error(`${messageOf(err)}: ${reasons}`, { cause: err });
}

/** Creates the topics (those that exist already count as created) and waits for their leaders. */
export async function createTopics(
  admin: Admin,
  topics: ReadonlyArray<{ name: string; state: TopicState }>,
): Promise<void> {
  for (let i = 0; i < topics.length; i += CREATE_BATCH) {
    await createTopicsAndWait(
      admin,
      topics.slice(i, i + CREATE_BATCH).map(({ name, state }) => ({
        topic: name,
        numPartitions: state.partitions,
        replicationFactor: state.replicationFactor,
        configEntries: configEntries(state.config),
      })),
      { ignoreExisting: true },
    ).catch((err: unknown) => {
      throw withReasons(err);
    });
  }
}

export async function addPartitions(admin: Admin, name: string, count: number): Promise<void> {
  const meta = await retry(() => admin.fetchTopicMetadata({ topics: [name] }));
  const current = meta.topics[0]?.partitions.length ?? 0;
  if (current >= count) return;
  await admin.createPartitions({ topicPartitions: [{ topic: name, count }] });
  await waitForTopics(admin, [{ topic: name, partitions: count }]);
}

/**
 * Sets the topic's overrides to exactly `config`. AlterConfigs (not the
 * incremental kind) replaces the whole set, so an override left out goes back
 * to the broker's default, which is what removing it from the YAML means.
 */
export async function setTopicConfig(
  admin: Admin,
  name: string,
  config: Record<string, string>,
): Promise<void> {
  await retry(() =>
    admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: RESOURCE_TOPIC, name, configEntries: configEntries(config) }],
    }),
  );
}

/** Deletes the topic and returns once the cluster no longer lists it. A missing topic is already deleted. */
export async function deleteTopic(admin: Admin, name: string, timeoutMs = 30000): Promise<void> {
  if (!(await exists(admin, name))) return;
  await admin.deleteTopics({ topics: [name] });
  const gone = await waitUntil(async () => ((await exists(admin, name)) ? undefined : true), { timeoutMs });
  if (!gone)
    throw new PipeError('TIMEOUT', `topic ${name} was still listed ${timeoutMs} ms after its deletion`, {
      retriable: true,
      meta: {
        resource: `topic.${name}`,
        hint: 'the broker may still be deleting it: run the apply again, which picks up where it stopped',
      },
    });
}

/** Deletes and re-creates the topic; the broker may refuse the create for a moment while deletion finishes. */
export async function recreateTopic(admin: Admin, name: string, state: TopicState): Promise<void> {
  await deleteTopic(admin, name);
  await retry(
    async () => {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: [
            {
              topic: name,
              numPartitions: state.partitions,
              replicationFactor: state.replicationFactor,
              configEntries: configEntries(state.config),
            },
          ],
        });
      } catch (err) {
        const e = err as { type?: string; errors?: Array<{ type?: string }> };
        const stillDeleting =
          e.type === 'TOPIC_ALREADY_EXISTS' || e.errors?.some((x) => x.type === 'TOPIC_ALREADY_EXISTS');
        throw stillDeleting
          ? Object.assign(new Error(`topic ${name} is still being deleted`), { retriable: true })
          : err;
      }
    },
    { retries: 40, initialMs: 100, maxMs: 500 },
  );
  await waitForTopics(admin, [{ topic: name, partitions: state.partitions }]);
}
