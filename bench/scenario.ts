import type { BenchContext } from './context.js';
import type { Row } from './results.js';

export interface Scenario {
  name: string;
  title: string;
  /** Markdown for RESULTS.md: what is measured and how each side is run, enough to repeat it. */
  method(ctx: BenchContext): string;
  run(ctx: BenchContext): Promise<Row[]>;
}
