/**
 * Names of the rows on the scaling curves, shared by the scenarios that
 * measure them and the goals that read them back.
 */
import type { Curve } from './results.js';

/** 100 → "100 B", 1000 → "1 KB", 10000 → "10 KB": record sizes as the issue and a reader write them. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1_000_000 && bytes % 1_000_000 === 0) return `${bytes / 1_000_000} MB`;
  if (bytes >= 1000 && bytes % 1000 === 0) return `${bytes / 1000} KB`;
  return `${bytes} B`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function curveRowName(curve: Curve): string {
  switch (curve.family) {
    case 'record size':
      return `${curve.direction}, ${sizeLabel(curve.x)} records`;
    case 'partitions':
      return `${curve.direction}, ${plural(curve.x, 'partition')}`;
    case 'connectors':
      return `${curve.direction}, ${plural(curve.x, 'connector')} in one worker`;
  }
}

export function idleRowName(connectors: number): string {
  return `worker RSS, ${plural(connectors, 'connector')} idle`;
}
