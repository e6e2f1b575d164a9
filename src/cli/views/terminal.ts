/**
 * What the CLI asks of the terminal: whether to colour, whether a person is
 * there to answer, and the question itself.
 */
import { createInterface } from 'node:readline/promises';

/** Colour unless NO_COLOR is set or the output is not a terminal. */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env['NO_COLOR'];
}

/** Clears a terminal before a redraw (`status --watch`); a pipe or file keeps every report. */
export function clearScreen(stream: NodeJS.WriteStream): void {
  if (stream.isTTY) stream.write('\x1b[2J\x1b[H');
}

/** A person can answer a question: both input and output are a terminal. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** Asks on the terminal; only `yes` approves, as people expect from Terraform. */
export async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(
      `\n${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `,
    );
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
