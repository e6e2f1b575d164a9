/**
 * The log of `pipe run` and `pipe up`: timestamped human lines, or with
 * `--log-format json` one JSON object a line (`time`, `level`, `connector`,
 * `task`, `message`, `error_code`) for log shippers; `--log-level` drops
 * what is less severe. The human lines go where they always went (state
 * changes and information to standard output, warnings and errors to
 * standard error); so do the JSON ones.
 */
import type { LogContext } from '../connectors/api.js';
import { isPipeError, PipeError } from '../errors.js';
import type { StateEvent } from '../worker/worker.js';
import { formatError } from './output.js';

export const LOG_FORMATS = ['human', 'json'] as const;
export const LOG_LEVELS = ['error', 'warn', 'info'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  time: Date;
  level: LogLevel;
  message: string;
  context?: LogContext | undefined;
}

export function jsonLine(e: LogEntry): string {
  return `${JSON.stringify({
    time: e.time.toISOString(),
    level: e.level,
    connector: e.context?.connector ?? null,
    task: e.context?.task ?? null,
    message: e.message,
    error_code: e.context?.code ?? null,
  })}\n`;
}

function clock(time: Date): string {
  return time.toISOString().slice(11, 19);
}

/** `12:00:01 warning: orders-0: poll failed …` */
export function humanLine(e: LogEntry): string {
  const c = e.context;
  const about =
    c?.connector === undefined
      ? ''
      : c.task === undefined
        ? `${c.connector}: `
        : `${c.connector}-${c.task}: `;
  const level = e.level === 'info' ? '' : e.level === 'warn' ? 'warning: ' : 'error: ';
  return `${clock(e.time)} ${level}${about}${e.message}\n`;
}

/** A state change: a FAILED one is an error, with the code its trace starts with (`CONNECTOR_FAILED: …`). */
export function stateEntry(e: StateEvent, time: Date): LogEntry {
  const what = e.task === undefined ? `connector ${e.connector}` : `task ${e.connector}-${e.task}`;
  const first = e.trace?.split('\n')[0];
  const code = first === undefined ? undefined : /^([A-Z][A-Z0-9_]+): /.exec(first)?.[1];
  return {
    time,
    level: e.state === 'FAILED' ? 'error' : e.state === 'RETRYING' ? 'warn' : 'info',
    message: `${what} ${e.state}${first ? `: ${first}` : ''}`,
    context: {
      connector: e.connector,
      ...(e.task === undefined ? {} : { task: e.task }),
      ...(code === undefined ? {} : { code }),
    },
  };
}

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2 };

let settings: { format: LogFormat; level: LogLevel } = { format: 'human', level: 'info' };

function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new PipeError('USAGE', `${flag}: "${value}" is not one of ${allowed.join(', ')}`, {
    meta: { field: flag },
  });
}

/** `--log-format` / `--log-level` of `pipe run` and `pipe up`, checked before anything starts. */
export function configureWorkerLog(flags: { logFormat?: string; logLevel?: string }): void {
  settings = {
    format: choice(flags.logFormat ?? 'human', LOG_FORMATS, '--log-format'),
    level: choice(flags.logLevel ?? 'info', LOG_LEVELS, '--log-level'),
  };
}

/**
 * Reports a failure that ends the command as a JSON entry when the log is
 * JSON (true), so a log shipper sees it; otherwise the command's own error
 * report prints it (false).
 */
export function loggedAsJson(err: unknown, consequence: string): boolean {
  if (settings.format !== 'json') return false;
  workerLog.failure(err, consequence);
  return true;
}

function emit(e: LogEntry, human: string, stream: NodeJS.WriteStream): void {
  if (SEVERITY[e.level] > SEVERITY[settings.level]) return;
  stream.write(settings.format === 'json' ? jsonLine(e) : human);
}

function entry(level: LogLevel, message: string, context: LogContext | undefined): LogEntry {
  return { time: new Date(), level, message, context };
}

export const workerLog = {
  info: (message: string, context?: LogContext) => {
    const e = entry('info', message, context);
    emit(e, humanLine(e), process.stdout);
  },
  warn: (message: string, context?: LogContext) => {
    const e = entry('warn', message, context);
    emit(e, humanLine(e), process.stderr);
  },
  error: (message: string, context?: LogContext) => {
    const e = entry('error', message, context);
    emit(e, humanLine(e), process.stderr);
  },
  /** A thrown error, worded once as everywhere else (`error[CODE]: …`), then what it leaves as it was. */
  failure: (err: unknown, consequence: string) => {
    const e = entry(
      'error',
      `${formatError(err)} (${consequence})`,
      isPipeError(err) ? { code: err.code } : undefined,
    );
    emit(e, `${clock(e.time)} ${formatError(err)}\n  ${consequence}\n`, process.stderr);
  },
  /** A block of text (a plan, diagnostics) as it is, or one JSON entry holding it. */
  block: (level: LogLevel, text: string) => {
    const e = entry(level, text.replace(/\n+$/, ''), undefined);
    emit(e, text.endsWith('\n') ? text : `${text}\n`, level === 'info' ? process.stdout : process.stderr);
  },
  /** `12:00:01 task local-file-source-0 FAILED: <first line of the error>`, on standard output. */
  state: (event: StateEvent) => {
    const e = stateEntry(event, new Date());
    emit(e, `${clock(e.time)} ${e.message}\n`, process.stdout);
  },
};
