/**
 * `${env:NAME}`, `${env:NAME:-default}`, `${var:name}`, `${var:name:-default}`
 * and `${file:path}` inside YAML string values; `$${` is a literal `${`.
 * Pure: the environment, the variables and file reading are passed in.
 */

export type VarValue = string | number | boolean;

export interface Variable {
  value: VarValue;
  /** Came from the environment or a file itself, so whatever uses it is a secret too. */
  sensitive: boolean;
  /** For a secret variable: its text with the secret references left unresolved (see `sealed`). */
  sealed?: string;
}

export interface InterpolationContext {
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Absent where variables cannot be used (inside `vars` themselves);
   * `unknown` when pipeline.config.yaml could not be read, so no reference is
   * wrongly reported as undefined: they are left as written.
   */
  vars?: ReadonlyMap<string, Variable> | 'unknown';
  /** Reads `${file:path}`; throws with a readable message when it cannot. */
  readFile(path: string): string;
}

export type Interpolation =
  | {
      ok: true;
      value: unknown;
      sensitive: boolean;
      /** The text was one reference and nothing else: its value may take the type its field needs. */
      whole: boolean;
      /**
       * For a secret: the text with its `${env:…}` and `${file:…}` references
       * kept as written and everything else resolved, so it can be stored
       * without the secret and resolved again where it is used (the worker),
       * as Kafka Connect's config providers do.
       */
      sealed?: string;
    }
  | {
      ok: false;
      message: string;
      /** Index in the text of the reference at fault. */
      index: number;
    };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;

export function hasReference(text: string): boolean {
  return text.includes('${');
}

/**
 * Resolves every reference in `text`. A text that is one `${var:…}` and
 * nothing else takes the variable's value as it is (a number stays a number);
 * anything else is a string.
 */
export function interpolate(text: string, ctx: InterpolationContext): Interpolation {
  let out = '';
  let sealed = '';
  let last = 0;
  let sensitive = false;
  let whole: { value: VarValue; fromVar: boolean } | undefined;
  let references = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const index = match.index;
    out += text.slice(last, index);
    sealed += text.slice(last, index);
    last = index + match[0].length;
    if (match[0] === '$${') {
      out += '${';
      sealed += '$${';
      continue;
    }
    if (match[1] === undefined)
      return { ok: false, message: 'unterminated "${": a reference ends with "}"', index };
    const resolved = resolve(match[1], ctx);
    if (!resolved.ok) return { ...resolved, index };
    references++;
    sensitive ||= resolved.sensitive;
    whole = { value: resolved.value, fromVar: resolved.fromVar };
    out += String(resolved.value);
    sealed += resolved.sealed ?? (resolved.sensitive ? match[0] : escapeReferences(String(resolved.value)));
  }
  out += text.slice(last);
  sealed += text.slice(last);
  const seal = sensitive ? { sealed } : {};
  const isWhole = references === 1 && whole !== undefined && String(whole.value) === out;
  if (isWhole && whole?.fromVar) return { ok: true, value: whole.value, sensitive, whole: true, ...seal };
  return { ok: true, value: out, sensitive, whole: isWhole, ...seal };
}

/** Resolved text placed into a sealed text must not read as a reference when resolved again. */
function escapeReferences(text: string): string {
  return text.replaceAll('${', '$${');
}

type Resolved =
  | { ok: true; value: VarValue; sensitive: boolean; fromVar: boolean; sealed?: string }
  | { ok: false; message: string };

function resolve(body: string, ctx: InterpolationContext): Resolved {
  const colon = body.indexOf(':');
  const scheme = colon < 0 ? body : body.slice(0, colon);
  const rest = colon < 0 ? '' : body.slice(colon + 1);
  const fallback = rest.indexOf(':-');
  const name = (fallback < 0 ? rest : rest.slice(0, fallback)).trim();
  const defaultValue = fallback < 0 ? undefined : rest.slice(fallback + 2);
  switch (scheme) {
    case 'env': {
      if (!name) return { ok: false, message: `"\${${body}}" names no environment variable` };
      const value = ctx.env[name];
      if (value !== undefined && value !== '') return { ok: true, value, sensitive: true, fromVar: false };
      if (defaultValue !== undefined)
        return { ok: true, value: defaultValue, sensitive: true, fromVar: false };
      return {
        ok: false,
        message: `environment variable ${name} is not set (\${env:${name}:-default} gives a default)`,
      };
    }
    case 'var': {
      if (!ctx.vars)
        return { ok: false, message: `\${var:…} cannot be used here (only \${env:…} and \${file:…})` };
      if (ctx.vars === 'unknown') return { ok: true, value: `\${${body}}`, sensitive: false, fromVar: false };
      const variable = ctx.vars.get(name);
      if (variable)
        return {
          ok: true,
          value: variable.value,
          sensitive: variable.sensitive,
          fromVar: true,
          ...(variable.sealed === undefined ? {} : { sealed: variable.sealed }),
        };
      if (defaultValue !== undefined)
        return { ok: true, value: defaultValue, sensitive: false, fromVar: false };
      const known = [...ctx.vars.keys()];
      return {
        ok: false,
        message: `variable ${name} is not defined in vars of pipeline.config.yaml${known.length ? ` (defined: ${known.join(', ')})` : ''}`,
      };
    }
    case 'file': {
      if (!name) return { ok: false, message: `"\${${body}}" names no file` };
      try {
        // Secret files nearly always end with a newline that is not part of the secret.
        return { ok: true, value: ctx.readFile(name).replace(/\r?\n$/, ''), sensitive: true, fromVar: false };
      } catch (err) {
        return {
          ok: false,
          message: `cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    }
    default:
      return {
        ok: false,
        message: `unknown reference "\${${body}}": use \${env:NAME}, \${env:NAME:-default}, \${var:name} or \${file:path}`,
      };
  }
}
