/**
 * The plan as a person reads it in a terminal: one line per change with its
 * mark, the attributes that change beneath it, and the summary line.
 */
import { warningsOf } from '../../diagnostics.js';
import { ACTION_STYLE, type Colour } from '../../plan/actions.js';
import { hasChanges, type Plan } from '../../plan/model.js';
import {
  detailLines,
  diagnosticLine,
  NO_CHANGES,
  resourceSummary,
  summaryLine,
  unmanagedLines,
} from './describe-change.js';

const ANSI: Record<Colour | 'bold', string> = {
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  red: '\u001b[31m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
};
const RESET = '\u001b[0m';

export interface HumanOptions {
  colour: boolean;
  /** List the connectors on Kafka Connect runtimes that no pipe project manages. */
  showUnmanaged?: boolean;
}

export function renderHuman(plan: Plan, options: HumanOptions): string {
  const paint = (colour: Colour | 'bold', text: string) =>
    options.colour ? `${ANSI[colour]}${text}${RESET}` : text;
  const visible = plan.changes.filter((c) => c.action !== 'no-op');
  const warnings = warningsOf(plan.diagnostics).map((w) => paint('yellow', `warning: ${diagnosticLine(w)}`));
  const unmanaged: string[] = [];
  if (options.showUnmanaged) {
    const { heading, entries } = unmanagedLines(plan);
    unmanaged.push('', heading, ...entries.map((e) => `  ${paint('dim', e)}`));
  }
  if (!hasChanges(plan)) return [NO_CHANGES, ...unmanaged, ...warnings, ''].join('\n');

  const markWidth = Math.max(...visible.map((c) => ACTION_STYLE[c.action].symbol.length));
  const addressWidth = Math.max(...visible.map((c) => c.address.length));
  const out: string[] = [
    `pipe will perform these actions on project ${plan.project}${plan.environment ? ` (${plan.environment})` : ''}, in this order:`,
    '',
  ];
  for (const change of visible) {
    const style = ACTION_STYLE[change.action];
    const mark = paint(style.colour, style.symbol.padStart(markWidth));
    const summary = resourceSummary(change);
    const head = `  ${mark} ${paint('bold', change.address.padEnd(addressWidth))}  ${summary}`.trimEnd();
    out.push(head);
    for (const line of detailLines(change)) out.push(`${' '.repeat(markWidth + 5)}${line}`);
  }
  out.push('', paint('bold', summaryLine(plan.summary)), ...unmanaged, ...warnings);
  return `${out.join('\n')}\n`;
}
