/**
 * One error type for everything pipe reports to a user. The CLI is the only
 * place that turns a PipeError into text and an exit code; library code
 * throws or returns these and never prints. Reported, a PipeError is a
 * diagnostic (src/diagnostics.ts) like any other.
 */
import type { Diagnostic } from './diagnostics.js';
import { redact } from './redact.js';

/** Where in a user's file a problem is. Lines and columns are 1-based. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export interface ErrorMeta extends Partial<SourcePosition> {
  /** Dotted path of the field in the document, e.g. `topics.orders.partitions`. */
  field?: string;
  /** Plan address of the resource concerned, e.g. `topic.orders`. */
  resource?: string;
  /** What the user can do about it, in words that hold for a library caller as for the command line. */
  hint?: string;
  /** What the user can do that the command line words with its own flags and commands. */
  remedies?: Remedy[];
  [key: string]: unknown;
}

/**
 * A way out that the command line spells in its own words: core code names
 * it by code and src/cli words it, so no flag name appears outside src/cli.
 * - `allow_replace` / `allow_delete`: apply's permissions (ApplyOptions.allowReplace / allowDelete);
 * - `auto_approve`: approve the plan up front (ApplyOptions.autoApprove);
 * - `longer_wait`: wait longer for connectors to run (ApplyOptions.waitTimeoutMs);
 * - `save_plan`: save a plan to a file first;
 * - `plan_again`: make and review a new saved plan;
 * - `other_kafka_version`: pick another Apache Kafka release for the local broker;
 * - `overwrite_project`: write a new project over an existing one, or into another folder (InitOptions.force);
 * - `force_unlock`: break an apply lock whose holder is gone (src/apply/force-unlock.ts).
 */
export type Remedy =
  | 'allow_replace'
  | 'allow_delete'
  | 'auto_approve'
  | 'longer_wait'
  | 'save_plan'
  | 'plan_again'
  | 'other_kafka_version'
  | 'overwrite_project'
  | 'force_unlock';

/**
 * Stable codes: tests, JSON output and users' scripts rely on them, so a code
 * is never renamed once released.
 */
export type ErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_ENCODING'
  | 'CONFIG_YAML'
  | 'CONFIG_SCHEMA'
  | 'CONFIG_INTERPOLATION'
  | 'CONFIG_DUPLICATE'
  | 'CONFIG_REFERENCE'
  | 'CONFIG_INVALID'
  | 'IMPORT_INVALID'
  | 'UNKNOWN_CONNECTOR'
  | 'UNKNOWN_TRANSFORM'
  | 'KAFKA_UNREACHABLE'
  | 'KAFKA_REQUEST'
  | 'KAFKA_DOWNLOAD'
  | 'KAFKA_LAUNCH'
  | 'RUNTIME_UNREACHABLE'
  | 'RUNTIME_AUTH'
  | 'RUNTIME_REQUEST'
  | 'PLAN_INVALID'
  | 'PLAN_STALE'
  | 'PLAN_FILE'
  | 'APPLY_REFUSED'
  | 'APPLY_FAILED'
  | 'LOCKED'
  | 'CONVERTER_DATA'
  | 'CONVERTER_SCHEMA'
  | 'CONNECTOR_CONFIG'
  | 'CONNECTOR_FAILED'
  | 'TRANSFORM_CONFIG'
  | 'TRANSFORM_DATA'
  | 'WORKER'
  | 'STATE_CORRUPT'
  | 'TIMEOUT'
  | 'TOPIC_NOT_FOUND'
  | 'RECORD_TOO_LARGE'
  | 'OFFSETS_INVALID'
  | 'OFFSETS_UNSUPPORTED'
  | 'CONNECTOR_RUNNING'
  | 'CONNECTOR_UNKNOWN'
  | 'CONNECTOR_ELSEWHERE'
  | 'TRANSACTION_FENCED'
  | 'USAGE'
  | 'INTERNAL';

export interface PipeErrorOptions {
  meta?: ErrorMeta;
  cause?: unknown;
  retriable?: boolean;
}

export class PipeError extends Error {
  readonly code: ErrorCode;
  readonly meta: ErrorMeta;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: PipeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PipeError';
    this.code = code;
    this.meta = options.meta ?? {};
    this.retriable = options.retriable ?? false;
  }

  /** The error as a diagnostic: the field leads the summary, the hint is the suggestion. */
  toDiagnostic(): Diagnostic {
    const { file, line, column, field, resource, hint } = this.meta;
    const summary = field && !this.message.startsWith(field) ? `${field}: ${this.message}` : this.message;
    const at = file && line === undefined ? `${file}: ` : '';
    return {
      severity: 'error',
      code: this.code,
      summary: `${at}${summary}`,
      ...(file && line !== undefined ? { source: { file, line, column: column ?? 1, pointer: '' } } : {}),
      ...(resource ? { address: resource } : {}),
      ...(hint ? { suggestion: hint } : {}),
    };
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.meta };
  }
}

export function isPipeError(err: unknown): err is PipeError {
  return err instanceof PipeError;
}

/**
 * The message of anything thrown, for wrapping foreign errors into a
 * PipeError, for logs and for status records; secrets redacted.
 */
export function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

/** The message with its code and stack, as a task's status trace or a dead letter carries it; secrets redacted. */
export function traceOf(err: unknown): string {
  if (!(err instanceof Error)) return redact(String(err));
  const code = (err as { code?: unknown }).code;
  const head = typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  return redact(err.stack ? `${head}\n${err.stack.split('\n').slice(1).join('\n')}` : head);
}
