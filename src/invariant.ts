/**
 * For a value the caller's own logic guarantees (a map entry it just put, a
 * regex group that always takes part): instead of a non-null assertion, a
 * broken guarantee is reported as an INTERNAL error naming what was missing,
 * at the place it broke rather than as a TypeError somewhere later.
 */
import { PipeError } from './errors.js';

export function present<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new PipeError('INTERNAL', `${what} is missing`);
  return value;
}
