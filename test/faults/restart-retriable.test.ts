/**
 * Issue 20 item 2: a task that FAILED on a retriable cause restarts by
 * itself once the cause clears, without restarting `pipe run`. The cause is
 * made on purpose on the real broker: a sink's dead letter topic that does
 * not exist yet, so the first bad record fails the task; the test then
 * creates the topic and waits for the task to restart, write the dead
 * letter and run.
 */
import { describe, expect, it } from 'vitest';
import { consume, createTopic, produce, uniqueName, waitFor } from '../helpers/kafka.js';
import { applyConnector, connectorSpec, startWorker, testProject } from '../helpers/worker.js';

describe('faults: FAILED on a retriable cause', () => {
  it('restarts by itself once the cause clears', async () => {
    const project = await testProject();
    const topic = uniqueName('in');
    const deadLetters = uniqueName('dlq');
    await createTopic(topic, 1);
    await produce(topic, [{ value: 'not json' }]);
    const sink = uniqueName('sink');
    await applyConnector(
      project,
      connectorSpec({
        kind: 'sink',
        name: sink,
        connector: 'console',
        topics: [topic],
        config: { format: 'value' },
        errors: { tolerance: 'all', deadLetterTopic: deadLetters, retries: 0 },
      }),
    );
    const w = await startWorker(project);
    try {
      const failed = await w.taskState(sink, 0, 'FAILED');
      expect(failed.trace).toContain(`dead letters to ${deadLetters} failed`);
      await waitFor('a restart announced', () =>
        w.logs.find((l) => l.includes(`${sink}-0: failed on a retriable error; restarting in`)),
      );

      await createTopic(deadLetters, 1);
      const [letter] = await consume(deadLetters, 1, 60_000);
      expect(letter?.value?.toString()).toBe('not json');
      await waitFor('the task RUNNING after its restart', () => {
        const own = w.events.filter((e) => e.connector === sink && e.task === 0);
        return own.at(-1)?.state === 'RUNNING';
      });
    } finally {
      await w.stop();
    }
  }, 120_000);
});
