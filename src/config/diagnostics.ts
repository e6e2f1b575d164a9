/**
 * Problems found in a project's files. Loading collects them all and returns
 * them together (errors first) instead of stopping at the first one, so a user
 * fixes every mistake in one round.
 */

export type Severity = 'error' | 'warning';

/**
 * Stable codes, as in src/errors.ts: the error ones are ErrorCodes, the
 * warning ones name the doubt.
 */
export type DiagnosticCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_YAML'
  | 'CONFIG_SCHEMA'
  | 'CONFIG_INTERPOLATION'
  | 'CONFIG_DUPLICATE'
  | 'UNKNOWN_CONNECTOR'
  | 'UNKNOWN_TOPIC_CONFIG'
  | 'UNDECLARED_TOPIC'
  | 'OBSOLETE_SETTING';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** Relative to the project folder. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted path of the field, e.g. `topics.orders.partitions`; empty for the whole file. */
  path: string;
  suggestion?: string;
  /** The offending source line, for YAML syntax errors (shown with a caret under the column). */
  excerpt?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Errors before warnings, then by file and position. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === 'error' ? 0 : 1);
  return [...diagnostics].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.path.localeCompare(b.path),
  );
}

/**
 * `pipelines/file-demo.yaml:4:17: topics.orders.partitions: must be an integer ≥ 1`,
 * then the suggestion, then for syntax errors the line with a caret.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const label = d.severity === 'warning' ? 'warning: ' : '';
  const lines = [`${where}: ${label}${d.path ? `${d.path}: ` : ''}${d.message}`];
  if (d.suggestion) lines.push(`  ${d.suggestion}`);
  if (d.excerpt !== undefined) {
    lines.push(`  | ${d.excerpt}`, `  | ${' '.repeat(Math.max(0, d.column - 1))}^`);
  }
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n');
}

/** The shape `pipe validate --json` prints. */
export function diagnosticsReport(diagnostics: readonly Diagnostic[]) {
  const sorted = sortDiagnostics(diagnostics);
  const entry = ({ file, line, column, path, message, code, suggestion }: Diagnostic) => ({
    file,
    line,
    column,
    path,
    message,
    code,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
  return {
    valid: !hasErrors(sorted),
    errors: sorted.filter((d) => d.severity === 'error').map(entry),
    warnings: sorted.filter((d) => d.severity === 'warning').map(entry),
  };
}
