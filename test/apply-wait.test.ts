import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyProject, describeWait } from '../src/apply/index.js';
import type { DesiredState } from '../src/config/model.js';
import { sink, source, topic } from './fixtures/plan/build.js';
import { uniqueName } from './helpers/kafka.js';
import { startWorker, testProject } from './helpers/worker.js';

describe('apply waits for the worker', () => {
  it('until a running worker reports the new connectors RUNNING; without one it says so at once', async () => {
    const project = await testProject();
    const t = uniqueName('wait');
    const input = join(project.dir, 'in.txt');
    await writeFile(input, 'a\n');
    const d: DesiredState = {
      project,
      topics: [topic(t, { partitions: 1 })],
      connectors: [
        source('in', { topic: t, config: { file: input } }),
        sink('out', { topics: [t], config: { file: join(project.dir, 'out.txt') } }),
      ],
    };
    const worker = await startWorker(project);
    try {
      const result = await applyProject(d, { autoApprove: true, waitTimeoutMs: 30_000 });
      expect(result.wait).toEqual({ kind: 'running', connectors: ['in', 'out'] });
      expect(describeWait(result.wait, project.name).line).toBe('running: in, out');
    } finally {
      await worker.stop();
    }

    // A clean stop removes the worker's heartbeat: the next apply does not wait out its timeout.
    const moreTasks: DesiredState = { ...d, connectors: d.connectors.map((c) => ({ ...c, tasks: 2 })) };
    // A wait timeout longer than the test's: waiting it out would fail the test, not pass it slowly.
    const result = await applyProject(moreTasks, { autoApprove: true, waitTimeoutMs: 3_600_000 });
    expect(result.wait).toEqual({ kind: 'no-worker' });
    expect(describeWait(result.wait, project.name).line).toBe(
      `no worker is running for project ${project.name}: start one with \`pipe run\` (or use \`pipe up\`) to run the connectors`,
    );
  });
});
