/**
 * `java.text.SimpleDateFormat`'s pattern grammar: runs of one letter are
 * fields, text in single quotes is literal (`''` is a quote), anything else
 * stands for itself. Formatting and parsing accept different letters, so
 * each passes its own check.
 */
export type DatePatternPart = { literal: string } | { letter: string; count: number };

/** Splits `pattern`; `check` throws for a field its caller cannot handle. */
export function datePatternParts(
  pattern: string,
  check: (letter: string, count: number) => void,
): DatePatternPart[] {
  const parts: DatePatternPart[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        parts.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        const close = pattern.indexOf("'", j);
        if (close === -1) throw new Error(`Unterminated quote in pattern "${pattern}"`);
        text += pattern.slice(j, close);
        if (pattern[close + 1] === "'") {
          text += "'";
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      parts.push({ literal: text });
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (pattern[i + count] === c) count++;
      check(c, count);
      parts.push({ letter: c, count });
      i += count;
      continue;
    }
    parts.push({ literal: c });
    i++;
  }
  return parts;
}
