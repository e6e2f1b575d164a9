/** Filter: drops every record it is applied to; with a predicate, the records the predicate picks. */
import type { Transformation } from './record.js';

export function filter(): Transformation {
  return { apply: () => null };
}
