/**
 * Scenario 5: how long the command line takes to answer, against the floor of
 * starting Node at all.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { ROOT } from '../paths.js';
import { pipe, pipeHas, timeCommand } from '../pipe-cli.js';
import { type RunFigures, row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';

/** The example project users meet first: the repository root, else the first folder under examples/. */
export function exampleProject(): string | undefined {
  if (existsSync(join(ROOT, 'pipeline.config.yaml'))) return ROOT;
  const examples = join(ROOT, 'examples');
  if (!existsSync(examples)) return undefined;
  return readdirSync(examples)
    .sort()
    .map((d) => join(examples, d))
    .find((d) => existsSync(join(d, 'pipeline.config.yaml')));
}

export const cliStart: Scenario = {
  name: 'cli-start',
  title: 'command-line start-up',
  method: (ctx) =>
    `Wall time from spawn to exit, ${ctx.sizes.cliRuns} times each, interleaved: \`node -e ''\` (the floor: starting Node at all), \`pipe --version\`, and \`pipe -C <example> validate\` on the example project (${exampleProject() ? `\`${exampleProject()!.replace(ROOT, '') || '.'}\`` : 'none yet'}). The ratio is pipe's time over the floor's, run by run.`,
  async run(ctx: BenchContext) {
    const example = exampleProject();
    const canValidate = example !== undefined && (await pipeHas('validate'));
    const version: RunFigures[] = [];
    const validate: RunFigures[] = [];
    let validateFailure: string | undefined;
    await timeCommand(process.execPath, ['-e', '']);
    for (let i = 0; i < ctx.sizes.cliRuns; i++) {
      const floor = (await timeCommand(process.execPath, ['-e', ''])).ms;
      const v = await pipe(['--version']);
      version.push(runFigures(v.code === 0 ? round(v.ms) : null, round(floor)));
      let validated: number | null = null;
      if (canValidate && validateFailure === undefined) {
        const r = await pipe(['-C', example!, 'validate']);
        if (r.code === 0) {
          validated = round(r.ms);
        } else {
          validateFailure = `\`pipe validate\` on the example exited with ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`;
          ctx.failures.push(`cli-start: ${validateFailure}`);
        }
      }
      validate.push(runFigures(validated, round(floor)));
    }
    const validateNote = !example
      ? 'pipe not measured: no example project yet'
      : !canValidate
        ? 'pipe not measured: this build of pipe has no `pipe validate` yet'
        : validateFailure && `pipe not measured: ${validateFailure}`;
    ctx.log(`  pipe --version ${JSON.stringify(version.map((r) => r.pipe))}`);
    ctx.log(`  pipe validate ${JSON.stringify(validate.map((r) => r.pipe))}`);
    return [
      row({ name: 'pipe --version', unit: 'ms', better: 'lower', peerName: "node -e ''", runs: version }),
      row({
        name: 'pipe validate (example)',
        unit: 'ms',
        better: 'lower',
        peerName: "node -e ''",
        runs: validate,
        ...(validateNote ? { note: validateNote } : {}),
      }),
    ];
  },
};

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
