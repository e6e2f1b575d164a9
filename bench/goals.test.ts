import { describe, expect, it } from 'vitest';
import { curveRowName, idleRowName, sizeLabel } from './curves.js';
import { evaluateGoals } from './goals.js';
import { renderGoals } from './report.js';
import { type Row, row, runFigures } from './results.js';

const ratioRow = (name: string, unit: string, ...ratios: number[]): Row =>
  row({ name, unit, better: 'higher', peerName: 'peer', runs: ratios.map((r) => runFigures(r * 100, 100)) });

const bigRecords = (ratio: number) =>
  (['file-source', 'file-sink'] as const).flatMap((direction) =>
    [1000, 10_000].map((x) => ratioRow(curveRowName({ family: 'record size', direction, x }), 'MB/s', ratio)),
  );

describe('evaluateGoals', () => {
  it("meets a goal when the median ratio reaches it, whatever a single run's", () => {
    const [sink] = evaluateGoals([ratioRow('file-sink', 'records/s', 1.4, 1.6, 1.7)]);
    expect(sink).toMatchObject({ status: 'met', figures: [{ ratio: 1.6, range: [1.4, 1.7] }] });
    expect(evaluateGoals([ratioRow('file-sink', 'records/s', 1.49)])[0]!.status).toBe('not met');
  });

  it('needs every row a goal reads: 1 KB and 10 KB records ahead in MB/s in both directions', () => {
    const goal = (rows: Row[]) => evaluateGoals(rows).find((g) => g.scenario.startsWith('1 KB'))!;
    expect(goal(bigRecords(1.1)).status).toBe('met');
    const oneBehind = bigRecords(1.1);
    oneBehind[3] = ratioRow(oneBehind[3]!.name, 'MB/s', 0.9);
    expect(goal(oneBehind).status).toBe('not met');
    expect(goal(bigRecords(1.1).slice(1)).status).toBe('not measured');
  });

  it('reads the idle-memory goal as a ceiling: 40% of Connect or less', () => {
    const idle = (ratio: number) =>
      evaluateGoals([ratioRow(idleRowName(20), 'MB', ratio)]).find((g) => g.scenario.startsWith('20 idle'))!;
    expect(idle(0.4).status).toBe('met');
    expect(idle(0.41).status).toBe('not met');
  });

  it('reports a goal whose rows the run did not measure as not measured, not as missed', () => {
    expect(evaluateGoals([]).map((g) => g.status)).toEqual(Array(5).fill('not measured'));
  });
});

describe('renderGoals', () => {
  it('writes each goal with its ratios, their spread and met or not met', () => {
    const md = renderGoals([ratioRow('file-sink', 'records/s', 1.2, 1.6, 1.5), ...bigRecords(1.3)]).join(
      '\n',
    );
    expect(md).toContain('| file-sink vs Kafka Connect FileStreamSink | ≥ 1.5× | 1.50× (1.20–1.60) | met |');
    expect(md).toContain('file-sink, 10 KB records (MB/s): 1.30×');
    expect(md).toContain(
      "| 20 idle connectors, worker RSS | ≤ 40% of Connect's | not measured | not measured |",
    );
  });
});

describe('curve row names', () => {
  it('name record sizes as people write them', () => {
    expect([100, 1000, 10_000].map(sizeLabel)).toEqual(['100 B', '1 KB', '10 KB']);
    expect(curveRowName({ family: 'partitions', direction: 'file-sink', x: 1 })).toBe(
      'file-sink, 1 partition',
    );
    expect(curveRowName({ family: 'connectors', direction: 'file-source', x: 20 })).toBe(
      'file-source, 20 connectors in one worker',
    );
  });
});
