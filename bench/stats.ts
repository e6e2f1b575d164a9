/**
 * The few statistics the benchmarks report. Medians rather than means,
 * because a shared two-core machine produces outliers that say nothing about
 * the code.
 */

/** Nearest-rank percentile (0 < p ≤ 100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The middle value, or the mean of the two middle values; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of the values that were measured; null when none was. */
export function medianOf(values: ReadonlyArray<number | null>): number | null {
  const measured = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return measured.length === 0 ? null : median(measured);
}

/** The smallest and largest value that was measured; null when none was. */
export function rangeOf(values: ReadonlyArray<number | null>): [number, number] | null {
  const measured = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return measured.length === 0 ? null : [Math.min(...measured), Math.max(...measured)];
}
