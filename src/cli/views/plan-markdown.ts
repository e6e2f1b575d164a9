/**
 * The plan as a pull-request comment: the summary first, a table of changes a
 * reviewer scans, and the attribute details folded away in a diff block
 * (GitHub colours its + and - lines).
 */
import { errorsOf, warningsOf } from '../../diagnostics.js';
import { ACTION_STYLE } from '../../plan/actions.js';
import { hasChanges, type Plan } from '../../plan/model.js';
import {
  detailLines,
  diagnosticLine,
  NO_CHANGES,
  resourceSummary,
  summaryLine,
  unmanagedLines,
} from './describe-change.js';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export interface MarkdownOptions {
  /** List the connectors on Kafka Connect runtimes that no pipe project manages. */
  showUnmanaged?: boolean;
}

function unmanagedSection(plan: Plan): string[] {
  const { heading, entries } = unmanagedLines(plan);
  return ['', `**${heading}**`, ...(entries.length ? ['', ...entries.map((e) => `- \`${e}\``)] : [])];
}

export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const env = plan.environment ? ` (environment \`${plan.environment}\`)` : '';
  const out: string[] = [`### pipe plan: project \`${plan.project}\`${env}`, ''];
  const warnings = warningsOf(plan.diagnostics).map((w) => `> ⚠️ ${diagnosticLine(w)}`);
  const problems = errorsOf(plan.diagnostics);
  if (problems.length > 0) {
    // A plan that cannot be made is still worth a comment: the reviewer sees why.
    out.push('**The plan cannot be made:**', '');
    for (const p of problems) {
      out.push(`- ${diagnosticLine(p)}${p.suggestion ? `  \n  _${p.suggestion}_` : ''}`);
    }
    return `${out.join('\n')}\n`;
  }
  const unmanaged = options.showUnmanaged ? unmanagedSection(plan) : [];
  if (!hasChanges(plan)) {
    out.push(NO_CHANGES, ...unmanaged, ...(warnings.length ? ['', ...warnings] : []));
    return `${out.join('\n')}\n`;
  }
  out.push(`**${summaryLine(plan.summary)}**`, '');
  out.push('| | Resource | Action | What |', '|---|---|---|---|');
  const visible = plan.changes.filter((c) => c.action !== 'no-op');
  for (const c of visible) {
    const style = ACTION_STYLE[c.action];
    const warn = c.action === 'delete' || c.action === 'replace' ? ' ⚠️' : '';
    out.push(
      `| \`${style.symbol}\` | \`${c.address}\` | ${style.label}${warn} | ${cell(resourceSummary(c))} |`,
    );
  }
  out.push(...unmanaged);
  if (warnings.length) out.push('', ...warnings);
  out.push('', '<details><summary>Details</summary>', '', '```diff');
  for (const c of visible) {
    out.push(`${ACTION_STYLE[c.action].symbol} ${c.address}`);
    for (const line of detailLines(c)) out.push(`    ${line}`);
  }
  out.push('```', '', '</details>', '', `<sub>state fingerprint \`${plan.fingerprint.slice(0, 19)}\`</sub>`);
  return `${out.join('\n')}\n`;
}
