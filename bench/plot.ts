/**
 * The scaling curves as an SVG: the rows that carry a curve, drawn with
 * Vega-Lite and rendered by Vega headless (no browser, no native canvas).
 */
import type { CurveFamily, Row } from './results.js';

export interface CurvePoint {
  family: string;
  direction: string;
  x: number;
  side: string;
  unit: string;
  median: number;
  min: number;
  max: number;
}

/** Row headers of the plot: what "the size of the work" is on each curve. */
const FAMILY_TITLES: Record<CurveFamily, string> = {
  'record size': 'record size (bytes)',
  partitions: 'partitions of the topic',
  connectors: 'connectors in one worker',
};

/** One point per side of each curve row that measured it. */
export function curvePoints(rows: readonly Row[]): CurvePoint[] {
  return rows.flatMap((r) => {
    if (!r.curve) return [];
    const family = FAMILY_TITLES[r.curve.family];
    const sides = [
      { side: 'pipe', median: r.pipe, range: r.spread.pipe },
      { side: 'Kafka Connect', median: r.peer, range: r.spread.peer },
    ];
    return sides.flatMap(({ side, median, range }) =>
      median === null || range === null || median <= 0
        ? []
        : [
            {
              family,
              direction: r.curve!.direction,
              x: r.curve!.x,
              side,
              unit: r.unit,
              median,
              min: range[0],
              max: range[1],
            },
          ],
    );
  });
}

/** A grid: one row of panels per curve, records/s and MB/s side by side; each scale its own. */
export function curveSpec(points: readonly CurvePoint[]): Record<string, unknown> {
  const x = { field: 'x', type: 'ordinal', title: 'size of the work', axis: { labelAngle: 0 } };
  const color = {
    field: 'side',
    type: 'nominal',
    title: null,
    scale: { domain: ['pipe', 'Kafka Connect'], range: ['#1f77b4', '#d62728'] },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'pipe and Kafka Connect as the work grows',
      subtitle: 'median of the runs (log scale); the vertical bar spans the smallest and largest run',
    },
    data: { values: points },
    facet: {
      row: { field: 'family', type: 'nominal', title: null, sort: Object.values(FAMILY_TITLES) },
      column: { field: 'unit', type: 'nominal', title: null, sort: ['records/s', 'MB/s'] },
    },
    spec: {
      width: 240,
      height: 150,
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'median', type: 'quantitative', title: null, scale: { type: 'log' } },
            color,
            strokeDash: { field: 'direction', type: 'nominal', title: null },
            shape: { field: 'direction', type: 'nominal', title: null },
          },
        },
        {
          mark: { type: 'rule' },
          encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, color },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: { font: 'sans-serif' },
  };
}

/** Renders the curves to SVG; Vega measures text without a canvas, close enough for labels. */
export async function renderCurvesSvg(points: readonly CurvePoint[]): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(curveSpec(points) as unknown as Parameters<typeof vegaLite.compile>[0]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
