/**
 * The CLI's only way to report a failure: one clear line (or block) per error,
 * never a stack trace unless PIPE_DEBUG is set, and an exit code. Also where
 * the CLI's text leaves the process: while a command runs, everything it
 * writes has its secrets redacted (src/redact.ts).
 */
import { isPipeError, messageOf } from '../errors.js';
import { redact } from '../redact.js';
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
 * Every write to the stream goes out redacted until the returned function is
 * called. One place for plans, status, worker logs and errors alike, rather
 * than a redact call at each of the commands' writes that one could forget.
 */
function redacting(stream: NodeJS.WriteStream): () => void {
  const write = stream.write;
  const redacted = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return (write as (chunk: string, ...rest: unknown[]) => boolean).call(stream, redact(text), ...rest);
  };
  stream.write = redacted as typeof stream.write;
  return () => {
    stream.write = write;
  };
}

/**
 * Wraps a command's action: what it prints is redacted, a thrown error becomes
 * a message and exit code 1; a returned number is the exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | undefined>) {
  return async (...args: A): Promise<void> => {
    const restore = [redacting(process.stdout), redacting(process.stderr)];
    try {
      const code = await fn(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (err) {
      reportError(err);
      process.exitCode = EXIT.error;
    } finally {
      for (const r of restore) r();
    }
  };
}
