/**
 * How `pipe offsets` shows offsets and what a change of them does. `--json`
 * is Kafka Connect's REST body (`{"offsets":[…]}`), so its output is the
 * input of `pipe offsets set --file` and of Connect's own PATCH.
 */
import type { ConnectorOffsetsRead, OffsetsPreview } from '../../apply/offsets.js';
import type { ConnectorOffset } from '../../runtime/offsets.js';

const STATE_WORD = { running: 'RUNNING', paused: 'PAUSED', stopped: 'STOPPED' } as const;

export function offsetsJson(offsets: readonly ConnectorOffset[]): string {
  return `${JSON.stringify({ offsets }, null, 2)}\n`;
}

export function renderOffsets(read: ConnectorOffsetsRead): string {
  const n = read.offsets.length;
  const head = `${read.address} on runtime ${read.runtime}: ${n} partition${n === 1 ? '' : 's'} with an offset`;
  if (n === 0) {
    const none =
      read.kind === 'sink'
        ? `its consumer group connect-${read.name} has committed nothing`
        : 'it has stored none: it reads from the start';
    return `${head}\n  (${none})\n`;
  }
  return `${head}\n${read.offsets.map((o) => `  ${JSON.stringify(o.partition)}  ${JSON.stringify(o.offset)}`).join('\n')}\n`;
}

export function renderPreview(p: OffsetsPreview): string {
  if (p.changes.length === 0) return `${p.address}: the offsets already are so, nothing to change\n`;
  const lines = p.changes.map((c) => {
    const symbol = c.after === null ? '-' : c.before === null ? '+' : '~';
    const before = c.before === null ? '(none)' : JSON.stringify(c.before);
    const after = c.after === null ? '(removed)' : JSON.stringify(c.after);
    return `  ${symbol} ${JSON.stringify(c.partition)}  ${before} → ${after}`;
  });
  const what = p.reset
    ? p.kind === 'sink'
      ? 'will be reset (its consumer group deleted): it reads its topics from the start again'
      : 'will be reset: it reads from the start again'
    : 'will change';
  return [
    `Offsets of ${p.address} on runtime ${p.runtime} ${what}:`,
    ...lines,
    `${p.address} is stopped, its offsets changed, then it returns to ${STATE_WORD[p.returnTo]}.`,
    '',
  ].join('\n');
}
