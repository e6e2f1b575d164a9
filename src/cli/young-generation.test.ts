import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { youngGenerationSizedByUser } from './young-generation.js';

const MODULE = fileURLToPath(new URL('./young-generation.ts', import.meta.url));

/**
 * A fresh Node process that calls keepYoungGenerationSmall, then keeps many
 * young objects alive the way loading modules does; prints its new space in MB.
 */
function newSpaceMbAfterSurvivors(nodeArgs: string[]): { kept: boolean; newSpaceMb: number } {
  const script = `
    const { keepYoungGenerationSmall } = await import(${JSON.stringify(MODULE)});
    const kept = keepYoungGenerationSmall();
    const survivors = [];
    for (let i = 0; i < 100_000; i++) survivors.push({ i, name: 'object ' + i });
    const { getHeapSpaceStatistics } = await import('node:v8');
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(JSON.stringify({ kept, newSpaceMb: space.space_size / 2 ** 20, survivors: survivors.length }));
  `;
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const { kept, newSpaceMb } = JSON.parse(out);
  return { kept, newSpaceMb };
}

// Each case starts a Node process, slow on a loaded machine.
describe("the CLI's young generation", { timeout: 30_000 }, () => {
  it('stays at two 1 MB semi-spaces however many young objects survive', () => {
    expect(newSpaceMbAfterSurvivors([])).toEqual({ kept: true, newSpaceMb: 2 });
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
