/**
 * What a scenario reports: one row per figure, each the median of its runs,
 * with pipe's figure beside a peer's and their ratio computed run by run.
 */
import { medianOf, rangeOf } from './stats.js';

export type Better = 'higher' | 'lower';

/** Where a row sits on a scaling curve: which curve, which direction, how much work (the x of the plot). */
export interface Curve {
  family: CurveFamily;
  direction: 'file-source' | 'file-sink';
  x: number;
}

export type CurveFamily = 'record size' | 'partitions' | 'connectors';

/** One run of a row: pipe's and the peer's figure measured back to back. */
export interface RunFigures {
  pipe: number | null;
  peer: number | null;
  /** pipe / peer of this run; null when either side is missing. */
  ratio: number | null;
  [detail: string]: unknown;
}

export interface Row {
  name: string;
  unit: string;
  better: Better;
  /** Medians over the runs; null when not measured. */
  pipe: number | null;
  peer: number | null;
  peerName: string | null;
  /** Median of the per-run ratios pipe / peer, not the ratio of the medians. */
  ratio: number | null;
  /** Smallest and largest of the runs beside each median, so a reader sees the spread. */
  spread: { pipe: [number, number] | null; peer: [number, number] | null; ratio: [number, number] | null };
  runs: RunFigures[];
  /** Why a side is missing, or what the figure means. */
  note?: string;
  /** Set on the rows the scaling plot draws. */
  curve?: Curve;
}

export function runFigures(pipe: number | null, peer: number | null, details: Record<string, unknown> = {}) {
  const ratio = pipe !== null && peer !== null && peer !== 0 ? pipe / peer : null;
  return { ...details, pipe, peer, ratio } satisfies RunFigures;
}

export function row(spec: {
  name: string;
  unit: string;
  better: Better;
  peerName: string | null;
  runs: RunFigures[];
  note?: string;
  curve?: Curve;
}): Row {
  const result: Row = {
    name: spec.name,
    unit: spec.unit,
    better: spec.better,
    pipe: medianOf(spec.runs.map((r) => r.pipe)),
    peer: medianOf(spec.runs.map((r) => r.peer)),
    peerName: spec.peerName,
    ratio: medianOf(spec.runs.map((r) => r.ratio)),
    spread: {
      pipe: rangeOf(spec.runs.map((r) => r.pipe)),
      peer: rangeOf(spec.runs.map((r) => r.peer)),
      ratio: rangeOf(spec.runs.map((r) => r.ratio)),
    },
    runs: spec.runs,
  };
  if (spec.note !== undefined) result.note = spec.note;
  if (spec.curve !== undefined) result.curve = spec.curve;
  return result;
}

/** Why pipe's side of a scenario could not be measured, reported instead of a figure. */
export class NotMeasured extends Error {
  /** True when pipe has what the scenario needs but it failed, which fails the suite. */
  readonly failure: boolean;

  constructor(reason: string, options: { failure?: boolean } = {}) {
    super(reason);
    this.name = 'NotMeasured';
    this.failure = options.failure ?? false;
  }
}
