import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { letYoungGenerationGrow, youngGenerationSizedByUser } from './young-generation.js';

const MODULE = fileURLToPath(new URL('./young-generation.ts', import.meta.url));

/**
 * A fresh Node process that calls keepYoungGenerationSmall, then keeps many
 * young objects alive the way loading modules does; prints its new space in MB.
 * With `thenGrow`, it then calls letYoungGenerationGrow, as a ready worker does,
 * and keeps as many alive again, as batches in flight do.
 */
function newSpaceMbAfterSurvivors(
  nodeArgs: string[],
  thenGrow = false,
): { kept: boolean; newSpaceMb: number; grown?: boolean } {
  const script = `
    const { keepYoungGenerationSmall, letYoungGenerationGrow } = await import(${JSON.stringify(MODULE)});
    const keepAlive = (survivors) => {
      for (let i = 0; i < 100_000; i++) survivors.push({ i, name: 'object ' + i });
    };
    const kept = keepYoungGenerationSmall();
    const survivors = [];
    keepAlive(survivors);
    const grown = ${thenGrow} ? letYoungGenerationGrow() : undefined;
    if (grown !== undefined) keepAlive(survivors);
    const { getHeapSpaceStatistics } = await import('node:v8');
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(JSON.stringify({ kept, grown, newSpaceMb: space.space_size / 2 ** 20, survivors: survivors.length }));
  `;
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const { kept, grown, newSpaceMb } = JSON.parse(out);
  return { kept, newSpaceMb, ...(grown === undefined ? {} : { grown }) };
}

// Each case starts a Node process, slow on a loaded machine.
describe("the CLI's young generation", { timeout: 30_000 }, () => {
  it('stays at two 1 MB semi-spaces however many young objects survive', () => {
    expect(newSpaceMbAfterSurvivors([])).toEqual({ kept: true, newSpaceMb: 2 });
  });

  it("grows again as V8's own once the worker is ready", () => {
    const { grown, newSpaceMb } = newSpaceMbAfterSurvivors([], true);
    expect(grown).toBe(true);
    expect(newSpaceMb).toBeGreaterThan(2);
  });

  it("leaves the user's own young-generation flags alone after the worker is ready too", () => {
    expect(letYoungGenerationGrow(['--semi-space-growth-factor=4'], undefined)).toBe(false);
    expect(letYoungGenerationGrow([], '--max-semi-space-size=8')).toBe(false);
  });

  it("is left to V8 when the user sized it, so Node's own growth applies", () => {
    const { kept, newSpaceMb } = newSpaceMbAfterSurvivors(['--max-semi-space-size=16']);
    expect(kept).toBe(false);
    expect(newSpaceMb).toBeGreaterThan(2);
  });

  it('counts as sized by the user any semi-space flag, on the command line or in NODE_OPTIONS', () => {
    expect(youngGenerationSizedByUser(['--max-semi-space-size=64'], undefined)).toBe(true);
    expect(youngGenerationSizedByUser([], '--min-semi-space-size=4 --enable-source-maps')).toBe(true);
    expect(youngGenerationSizedByUser(['--enable-source-maps'], '--max-old-space-size=512')).toBe(false);
    expect(youngGenerationSizedByUser([], undefined)).toBe(false);
  });
});
