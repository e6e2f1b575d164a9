/**
 * Extra rows without a peer: the converters' own throughput, measured in
 * this process by the converters module's micro-benchmark.
 */

import type { BenchContext } from '../context.js';
import { type Measurement, measureConverters } from '../converters.js';
import { row, runFigures } from '../results.js';
import type { Scenario } from '../scenario.js';

export const converters: Scenario = {
  name: 'converters',
  title: 'converters in process',
  method: (ctx) =>
    `\`measureConverters({records: ${recordsFor(ctx).toLocaleString('en')}})\` from \`bench/converters.ts\` in the bench process, once per run: JsonConverter with schemas, a string envelope and a 10-field struct, each to and from bytes. No peer.`,
  async run(ctx: BenchContext) {
    const byName = new Map<string, Measurement[]>();
    for (let i = 0; i < ctx.sizes.runs; i++) {
      for (const m of measureConverters({ records: recordsFor(ctx) })) {
        byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
      }
    }
    const rows = [...byName].map(([name, ms]) =>
      row({
        name: `converter: ${name}`,
        unit: ms[0]!.unit,
        better: 'higher',
        peerName: null,
        runs: ms.map((m) => runFigures(m.value, null)),
      }),
    );
    for (const r of rows) ctx.log(`  ${r.name}: ${r.pipe} ${r.unit}`);
    return rows;
  },
};

function recordsFor(ctx: BenchContext): number {
  return ctx.quick ? 10_000 : 200_000;
}
