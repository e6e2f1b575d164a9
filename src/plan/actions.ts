/**
 * The one table that says how each action looks. Every renderer reads it, so
 * a symbol or colour changes in one place.
 */
import { PipeError } from '../errors.js';
import type { Action } from './model.js';

export type Colour = 'green' | 'yellow' | 'red' | 'magenta' | 'cyan' | 'dim';

export interface ActionStyle {
  symbol: string;
  colour: Colour;
  /** Past tense for progress lines and reports: `created`, `adopted`. */
  done: string;
  /** What the plan will do, for the Markdown table: `create`, `replace (delete, then create)`. */
  label: string;
}

export const ACTION_STYLE: Record<Action, ActionStyle> = {
  create: { symbol: '+', colour: 'green', done: 'created', label: 'create' },
  update: { symbol: '~', colour: 'yellow', done: 'updated', label: 'update in place' },
  replace: { symbol: '-/+', colour: 'magenta', done: 'replaced', label: 'replace (delete, then create)' },
  delete: { symbol: '-', colour: 'red', done: 'deleted', label: 'delete' },
  adopt: { symbol: '<=', colour: 'cyan', done: 'adopted', label: 'adopt (take into management)' },
  move: { symbol: '~>', colour: 'yellow', done: 'moved', label: 'move to another runtime (offsets carried)' },
  'no-op': { symbol: ' ', colour: 'dim', done: 'unchanged', label: 'no change' },
};

/** The default of an exhaustive switch: the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new PipeError('INTERNAL', `unexpected value ${JSON.stringify(value)}`);
}
