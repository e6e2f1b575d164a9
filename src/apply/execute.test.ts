import { describe, expect, it } from 'vitest';
import { actual, desired, fileDemo } from '../../test/fixtures/plan/build.js';
import { PipeError } from '../errors.js';
import { plan } from '../plan/diff.js';
import { executeSteps } from './execute.js';
import type { Step } from './steps.js';

/** The file demo's three creations as steps whose effects are scripted. */
function steps(effects: Array<() => Promise<string | undefined>>): Step[] {
  return plan(fileDemo(), actual()).changes.map((change, i) => ({ change, run: effects[i]! }));
}

function ticking() {
  let t = 0;
  return () => (t += 250);
}

describe('executeSteps', () => {
  it('runs every step in order, one progress line each with its time and what it did', async () => {
    const lines: string[] = [];
    const done = await executeSteps(
      steps([async () => undefined, async () => '0 offsets dropped', async () => undefined]),
      { log: (l) => lines.push(l), clock: ticking() },
    );
    expect(lines).toEqual([
      '+ topic.connect-test: created (0.25 s)',
      '+ source.local-file-source: created, 0 offsets dropped (0.25 s)',
      '+ sink.local-file-sink: created (0.25 s)',
    ]);
    expect(done.map((d) => d.address)).toEqual([
      'topic.connect-test',
      'source.local-file-source',
      'sink.local-file-sink',
    ]);
  });

  it('stops at the first failure and says what was done and what was not', async () => {
    let ranAfterFailure = false;
    const failing = steps([
      async () => undefined,
      async () => {
        throw new Error('broker said no');
      },
      async () => {
        ranAfterFailure = true;
        return undefined;
      },
    ]);
    const err = await executeSteps(failing, { log: () => {}, clock: ticking() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipeError);
    expect((err as PipeError).code).toBe('APPLY_FAILED');
    expect((err as PipeError).message).toBe(
      [
        'apply stopped at source.local-file-source (create): broker said no',
        '  done: create topic.connect-test',
        '  not done: create source.local-file-source, create sink.local-file-sink',
      ].join('\n'),
    );
    expect((err as PipeError).meta.hint).toContain('run apply again');
    expect(ranAfterFailure).toBe(false);
  });

  it('stops before a step when the check before it fails (a lease that ran out)', async () => {
    let ran = 0;
    const count = async () => {
      ran++;
      return undefined;
    };
    let checks = 0;
    const err = await executeSteps(steps([count, count, count]), {
      log: () => {},
      beforeStep: () => {
        if (++checks === 2) throw new Error('lease ran out');
      },
    }).catch((e: unknown) => e);
    expect((err as PipeError).message).toMatch(
      /^apply stopped at source\.local-file-source \(create\): lease ran out/,
    );
    expect(ran).toBe(1);
  });

  it('has nothing to do for an empty plan', async () => {
    expect(await executeSteps([], { log: () => {} })).toEqual([]);
    expect(plan(desired(), actual()).changes).toEqual([]);
  });
});
