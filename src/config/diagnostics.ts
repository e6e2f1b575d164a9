/**
 * Problems found in a project's files, as diagnostics (src/diagnostics.ts).
 * Loading collects them all and returns them together (errors first) instead
 * of stopping at the first one, so a user fixes every mistake in one round.
 */
import { type Diagnostic, hasErrors, sortDiagnostics } from '../diagnostics.js';
import { dottedPath } from './yaml-source.js';

export type { Diagnostic, DiagnosticCode, Severity, SourceRange } from '../diagnostics.js';
export { hasErrors, sortDiagnostics };

/**
 * `pipelines/file-demo.yaml:4:17: topics.orders.partitions: must be an integer ≥ 1`,
 * then the suggestion, then for syntax errors the line with a caret.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const s = d.source;
  const where = s ? `${s.file}:${s.line}:${s.column}: ` : '';
  const label = d.severity === 'warning' ? 'warning: ' : '';
  const path = s?.pointer ? `${dottedPath(s.pointer)}: ` : '';
  const lines = [`${where}${label}${path}${d.summary}`];
  if (d.detail) lines.push(`  ${d.detail}`);
  if (d.suggestion) lines.push(`  ${d.suggestion}`);
  if (s?.excerpt !== undefined) {
    lines.push(`  | ${s.excerpt}`, `  | ${' '.repeat(Math.max(0, s.column - 1))}^`);
  }
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n');
}

/** The shape `pipe validate --json` prints: the diagnostics, errors and warnings apart. */
export function diagnosticsReport(diagnostics: readonly Diagnostic[]) {
  const sorted = sortDiagnostics(diagnostics);
  return {
    valid: !hasErrors(sorted),
    errors: sorted.filter((d) => d.severity === 'error'),
    warnings: sorted.filter((d) => d.severity === 'warning'),
  };
}
