/**
 * The goals of issue 17, checked against one run's figures: each goal names
 * the rows it reads and the ratio each must reach.
 */
import { curveRowName, idleRowName } from './curves.js';
import type { Row } from './results.js';

export interface Goal {
  scenario: string;
  goal: string;
  /** Rows by name and unit; the goal is met when every one of their median ratios passes. */
  rows: Array<{ name: string; unit: string }>;
  passes(ratio: number): boolean;
}

export const GOALS: Goal[] = [
  {
    scenario: 'file-sink vs Kafka Connect FileStreamSink',
    goal: '≥ 1.5×',
    rows: [{ name: 'file-sink', unit: 'records/s' }],
    passes: (r) => r >= 1.5,
  },
  {
    scenario: 'file-source vs Kafka Connect FileStreamSource',
    goal: '≥ 2.0×',
    rows: [{ name: 'file-source', unit: 'records/s' }],
    passes: (r) => r >= 2.0,
  },
  {
    scenario: 'file-source vs ProducerPerformance',
    goal: '≥ 0.9',
    rows: [{ name: 'file-source vs producer ceiling', unit: 'records/s' }],
    passes: (r) => r >= 0.9,
  },
  {
    scenario: '1 KB and 10 KB records, both directions',
    goal: 'ahead of Connect in MB/s',
    rows: (['file-source', 'file-sink'] as const).flatMap((direction) =>
      [1000, 10_000].map((x) => ({
        name: curveRowName({ family: 'record size', direction, x }),
        unit: 'MB/s',
      })),
    ),
    passes: (r) => r > 1,
  },
  {
    scenario: '20 idle connectors, worker RSS',
    goal: "≤ 40% of Connect's",
    rows: [{ name: idleRowName(20), unit: 'MB' }],
    passes: (r) => r <= 0.4,
  },
];

export type GoalStatus = 'met' | 'not met' | 'not measured';

export interface GoalResult {
  scenario: string;
  goal: string;
  /** The median ratio of each row read, with its runs' smallest and largest; null where not measured. */
  figures: Array<{ name: string; unit: string; ratio: number | null; range: [number, number] | null }>;
  status: GoalStatus;
}

export function evaluateGoals(rows: readonly Row[], goals: readonly Goal[] = GOALS): GoalResult[] {
  return goals.map((g) => {
    const figures = g.rows.map(({ name, unit }) => {
      const found = rows.find((r) => r.name === name && r.unit === unit);
      return { name, unit, ratio: found?.ratio ?? null, range: found?.spread.ratio ?? null };
    });
    const ratios = figures.map((f) => f.ratio);
    const status: GoalStatus = ratios.some((r) => r === null)
      ? 'not measured'
      : ratios.every((r) => g.passes(r!))
        ? 'met'
        : 'not met';
    return { scenario: g.scenario, goal: g.goal, figures, status };
  });
}
