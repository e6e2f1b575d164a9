import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExampleProject, runCli } from './fixtures/plan/cli.js';
import { brokers, uniqueName } from './helpers/kafka.js';

beforeAll(() => {
  process.env['KAFKA_BROKERS'] = brokers();
});

const WORKFLOW = new URL('../examples/github-actions/pipe.yml', import.meta.url);

/** The pipe commands the workflow runs, in its order: the workflow is a thin wrapper over exactly these. */
const PULL_REQUEST = ['validate', 'plan --format markdown --detailed-exitcode'];
const MERGE = ['plan --out plan.json', 'apply plan.json --auto-approve'];

describe('the GitHub Actions example', () => {
  it('runs only the commands tested here', async () => {
    const workflow = await readFile(WORKFLOW, 'utf8');
    const used = [...workflow.matchAll(/npx pipe-kafka ([^\n>|]+?)\s*(?:>|\n|$)/g)].map((m) => m[1]);
    expect(used).toEqual([...PULL_REQUEST, ...MERGE]);
  });

  it('pull request: validates, comments a Markdown plan (exit 2: changes, 1: a plan that cannot be made); merge: applies the saved plan', async () => {
    const { dir } = await copyExampleProject(uniqueName('gitops'));
    const run = (command: string) =>
      runCli(['-C', dir, ...command.replace('plan.json', join(dir, 'plan.json')).split(' ')]);

    const validate = await run(PULL_REQUEST[0]!);
    expect(validate.code).toBe(0);
    const comment = await run(PULL_REQUEST[1]!);
    expect(comment.code).toBe(2);
    expect(comment.stdout).toMatch(/^### pipe plan: project `gitops-/);
    expect(comment.stdout).toContain('**Plan: 3 to add, 0 to change, 0 to destroy.**');

    const plan = await run(MERGE[0]!);
    expect(plan.code).toBe(0);
    const apply = await run(MERGE[1]!);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 3 added, 0 changed, 0 destroyed.');

    // The next pull request's comment says there is nothing to do.
    const next = await run(PULL_REQUEST[1]!);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('No changes: the cluster matches the configuration.');

    // A pull request asking for the impossible gets a comment saying why, and a failed check.
    const pipeline = join(dir, 'pipelines', 'file-demo.yaml');
    await writeFile(pipeline, (await readFile(pipeline, 'utf8')).replace('partitions: 3', 'partitions: 1'));
    const impossible = await run(PULL_REQUEST[1]!);
    expect(impossible.code).toBe(1);
    expect(impossible.stdout).toContain('**The plan cannot be made:**');
    expect(impossible.stdout).toContain('partitions cannot go down from 3 to 1');
    expect(impossible.stderr).toContain('error[PLAN_INVALID]');
  });
});
