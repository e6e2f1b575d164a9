import { describe, expect, it } from 'vitest';
import { curvePoints, renderCurvesSvg } from './plot.js';
import { row, runFigures } from './results.js';

const rows = [100, 1000, 10_000].flatMap((x) => [
  row({
    name: `file-source, ${x} B records`,
    unit: 'records/s',
    better: 'higher',
    peerName: 'Kafka Connect FileStreamSource',
    curve: { family: 'record size', direction: 'file-source', x },
    runs: [runFigures(2e7 / x, 1e7 / x), runFigures(3e7 / x, null)],
  }),
]);

describe('curvePoints', () => {
  it('gives each side of each curve row its median and the spread of its runs, and skips rows off the curves', () => {
    const points = curvePoints([
      ...rows,
      row({ name: 'other', unit: 'ms', better: 'lower', peerName: null, runs: [] }),
    ]);
    expect(points).toHaveLength(6);
    expect(points[0]).toEqual({
      family: 'record size (bytes)',
      direction: 'file-source',
      x: 100,
      side: 'pipe',
      unit: 'records/s',
      median: 250_000,
      min: 200_000,
      max: 300_000,
    });
    expect(points[1]).toMatchObject({ side: 'Kafka Connect', median: 100_000, min: 100_000, max: 100_000 });
  });
});

describe('renderCurvesSvg', () => {
  it('draws an SVG with both sides named, headless', async () => {
    const svg = await renderCurvesSvg(curvePoints(rows));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Kafka Connect');
    expect(svg).toContain('record size (bytes)');
  });
});
