/**
 * The one shape in which pipe says something is wrong or doubtful, as
 * Terraform's diagnostics do: a severity, a stable code, a one-line summary,
 * optionally a detail, where in a file it is and what to do about it. Config
 * loading returns them, a plan carries them, and a thrown PipeError renders
 * as one (`PipeError.toDiagnostic`). Codes are stable: scripts match them,
 * so one is never renamed.
 */
import type { ErrorCode } from './errors.js';

export type Severity = 'error' | 'warning';

/** Warnings name the doubt; errors are ErrorCodes or name the plan problem. */
export type DiagnosticCode =
  | ErrorCode
  | 'UNKNOWN_TOPIC_CONFIG'
  | 'UNDECLARED_TOPIC'
  | 'OBSOLETE_SETTING'
  | PlanProblemCode
  | PlanWarningCode;

/** A desired state the planner cannot reach. */
export type PlanProblemCode =
  | 'PARTITIONS_DECREASE'
  | 'OWNED_BY_OTHER_PROJECT'
  | 'UNMANAGED_REPLACE'
  | 'UNKNOWN_TARGET'
  | 'TOPIC_IN_USE'
  | 'UNKNOWN_TOPIC'
  | 'RUNTIME_SECRETS'
  | 'RUNTIME_MISSING'
  | 'MOVE_WITHOUT_OFFSETS'
  | 'MOVED_INVALID'
  | 'CONNECTOR_INVALID'
  | 'CONNECTOR_CLASS_MISSING';

/** What a plan cannot fix but its reader should know. */
export type PlanWarningCode =
  | 'UNDECLARED_RENAME'
  | 'CONNECTOR_FAILED'
  | 'TASK_FAILED'
  | 'APPLY_IN_PROGRESS'
  | 'FOREIGN_RECORD'
  | 'UNMANAGED_TOPIC'
  | 'SECRETS_RESOLVED';

/** Where in a user's file. Lines and columns are 1-based. */
export interface SourceRange {
  /** Relative to the project folder. */
  file: string;
  line: number;
  column: number;
  /** JSON pointer of the field (`/topics/orders/partitions`); empty for the whole file. */
  pointer: string;
  /** The offending source line, for YAML syntax errors (shown with a caret under the column). */
  excerpt?: string;
}

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  summary: string;
  /** More about it, when one line is not enough. */
  detail?: string;
  source?: SourceRange;
  /** The plan address of the resource concerned (`topic.orders`), when it is about one. */
  address?: string;
  /** What to do about it. */
  suggestion?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

export function warningsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'warning');
}

/** Errors before warnings, then by file and position; diagnostics without a source keep their order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === 'error' ? 0 : 1);
  return [...diagnostics].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0 || !a.source || !b.source) return byRank;
    return (
      a.source.file.localeCompare(b.source.file) ||
      a.source.line - b.source.line ||
      a.source.column - b.source.column ||
      a.source.pointer.localeCompare(b.source.pointer)
    );
  });
}
