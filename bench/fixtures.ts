/**
 * Input data: text lines of a fixed size, numbered so a reader can tell them
 * apart, and the JsonConverter envelope Kafka Connect writes for each.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Line `i` without its newline: `line-<i>` padded with dots to `size` bytes. */
export function line(i: number, size: number): string {
  const head = `line-${String(i).padStart(9, '0')}-`;
  return head.length >= size ? head.slice(0, size) : head + '.'.repeat(size - head.length);
}

/** What Kafka Connect's JsonConverter with schemas writes for a string value. */
export function envelope(text: string): string {
  return `{"schema":{"type":"string","optional":false},"payload":${JSON.stringify(text)}}`;
}

/** Writes `count` lines of `size` bytes plus a newline each. */
export async function writeLines(file: string, count: number, size: number): Promise<void> {
  const out = createWriteStream(file);
  const chunk = 10_000;
  for (let i = 0; i < count; i += chunk) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(count, i + chunk); j++) lines.push(line(j, size));
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
