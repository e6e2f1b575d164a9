import { describe, expect, it } from 'vitest';
import { buildProgram, commandName } from './program.js';

describe('the command line', () => {
  it('finds the command a call names, past global options and the project folder', () => {
    expect(commandName(['plan', '--json'])).toBe('plan');
    expect(commandName(['-C', 'projects/shop', 'apply', 'plan.json'])).toBe('apply');
    expect(commandName(['--dir', 'x', 'validate'])).toBe('validate');
    expect(commandName(['--dir=x', 'validate'])).toBe('validate');
    expect(commandName(['--version'])).toBeUndefined();
  });

  it('loads only the named command, and every command for help', async () => {
    const names = async (args: string[]) => (await buildProgram(args)).commands.map((c) => c.name()).sort();
    expect(await names(['validate'])).toEqual(['validate']);
    expect(await names(['dev', 'kafka'])).toEqual(['dev']);
    expect(await names(['--version'])).toEqual([]);
    expect(await names(['--help'])).toEqual(
      [
        'apply',
        'destroy',
        'dev',
        'force-unlock',
        'import',
        'init',
        'offsets',
        'plan',
        'restart',
        'run',
        'schema',
        'status',
        'up',
        'validate',
      ].sort(),
    );
    expect(await names(['valdate'])).toHaveLength(14);
    // Help loads every command's module (first load transforms the whole core): slow on a shared, loaded machine.
  }, 30_000);
});
