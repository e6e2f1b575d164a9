import { afterEach, describe, expect, it } from 'vitest';
import { PipeError } from '../errors.js';
import { forgetSecrets, rememberSecret } from '../redact.js';
import { action } from './output.js';

afterEach(forgetSecrets);

/** Runs `fn` with stdout and stderr captured, as the command line would print them. */
async function captured(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const writes = [process.stdout.write, process.stderr.write];
  const capture = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    await fn();
  } finally {
    [process.stdout.write, process.stderr.write] = writes as [typeof capture, typeof capture];
    process.exitCode = undefined;
  }
  return chunks.join('');
}

describe('action', () => {
  it('redacts what a command prints and the error it throws, and only while it runs', async () => {
    rememberSecret('hunter2-secret', '${env:DB_PASSWORD}');
    const out = await captured(async () => {
      await action(async () => {
        process.stdout.write('plan: open /d/hunter2-secret\n');
        process.stderr.write(Buffer.from('log: hunter2-secret\n'));
        throw new PipeError('CONNECTOR_FAILED', 'applied, but out failed: EISDIR /d/hunter2-secret');
      })();
      process.stdout.write('after: hunter2-secret\n');
    });
    expect(out).toBe(
      [
        'plan: open /d/${env:DB_PASSWORD}',
        'log: ${env:DB_PASSWORD}',
        'error[CONNECTOR_FAILED]: applied, but out failed: EISDIR /d/${env:DB_PASSWORD}',
        // Outside a command, the process's streams are as they were.
        'after: hunter2-secret',
        '',
      ].join('\n'),
    );
  });
});
