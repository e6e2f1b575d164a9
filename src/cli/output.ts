/**
 * The CLI's only way to report a failure: one clear line (or block) per error,
 * never a stack trace unless PIPE_DEBUG is set, and an exit code.
 */
import { isPipeError, messageOf } from '../errors.js';
import { remedyText } from './remedies.js';

export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

export function formatError(err: unknown): string {
  if (isPipeError(err)) {
    const d = err.toDiagnostic();
    const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.column}: ` : '';
    const hints = [d.suggestion, remedyText(err.meta.remedies ?? [])].filter(Boolean);
    const hint = hints.length ? `\n  hint: ${hints.join(': ')}` : '';
    return `error[${d.code}]: ${where}${d.summary}${hint}`;
  }
  return `error[INTERNAL]: ${messageOf(err)}`;
}

export function reportError(err: unknown): void {
  process.stderr.write(`${formatError(err)}\n`);
  if (process.env['PIPE_DEBUG'] && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
}

/**
 * Wraps a command's action: a thrown error becomes a message and exit code 1;
 * a returned number is the exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | undefined>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (err) {
      reportError(err);
      process.exitCode = EXIT.error;
    }
  };
}
