/**
 * Java regular expressions as Connect's RegexRouter and TopicNameMatches use
 * them: `matches()` (the whole topic) and `replaceFirst` with Java's
 * replacement syntax (`$1`, `${name}`, `\$` for a literal dollar). Java and
 * JavaScript agree on the syntax topic patterns use; a pattern JavaScript
 * cannot compile is refused when the pipeline is read.
 */

export interface JavaPattern {
  source: string;
  /** Anchored at both ends: `Matcher.matches()`. */
  whole: RegExp;
}

export function compileJavaPattern(source: string): JavaPattern {
  return { source, whole: new RegExp(`^(?:${source})$`, 'u') };
}

/** `Matcher.replaceFirst` after a whole match: the replacement with its group references expanded. */
export function expandReplacement(replacement: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement.charAt(i);
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end === -1) throw new Error("named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, end);
        const group = match.groups?.[name];
        if (match.groups === undefined || !(name in match.groups))
          throw new Error(`No group with name {${name}}`);
        out += group ?? '';
        i = end;
      } else {
        if (!/[0-9]/.test(replacement.charAt(i))) throw new Error('Illegal group reference');
        // Java takes further digits while they still name an existing group.
        let group = Number(replacement[i]);
        while (i + 1 < replacement.length && /[0-9]/.test(replacement.charAt(i + 1))) {
          const next = group * 10 + Number(replacement[i + 1]);
          if (next >= match.length) break;
          group = next;
          i++;
        }
        if (group >= match.length) throw new Error(`No group ${group}`);
        out += match[group] ?? '';
      }
    } else out += c;
  }
  return out;
}
