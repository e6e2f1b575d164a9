/**
 * Java's .properties format, as java.util.Properties.load reads it:
 * `#`/`!` comments, `=`, `:` or whitespace between key and value, backslash
 * escapes and line continuations. Each entry keeps its line for messages.
 */

export interface Property {
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
}

export function parseProperties(text: string): Map<string, Property> {
  const out = new Map<string, Property>();
  const lines = text.split(/\r\n|\r|\n/);
  const trimmed = (i: number) => (lines[i] ?? '').replace(/^[ \t\f]+/, '');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = trimmed(i);
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + trimmed(++i);
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    const { key, value } = split(logical);
    out.set(unescapeJava(key), { value: unescapeJava(value), line: start + 1 });
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function split(line: string): { key: string; value: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') i += 2;
    else if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    else i++;
  }
  const key = line.slice(0, i);
  let j = i;
  const blank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f';
  while (blank(line[j])) j++;
  if (line[j] === '=' || line[j] === ':') j++;
  while (blank(line[j])) j++;
  return { key, value: line.slice(j) };
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(Number.parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e),
  );
}
