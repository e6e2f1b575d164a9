/**
 * ajv's errors, turned into diagnostics a user understands: one per mistake,
 * at the line and column of the value (or of the key, for unknown and
 * missing keys), in words rather than schema keywords, with a suggestion
 * when a key or value looks misspelled.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic, DiagnosticCode } from './diagnostics.js';
import { didYouMean } from './suggest.js';
import { type Located, placeOf, pointerOf, position, type YamlSource } from './yaml-source.js';

type SchemaNode = Record<string, unknown>;

export interface SchemaErrorContext {
  source: YamlSource;
  located: Located;
  connectorTypes: { source: string[]; sink: string[] };
}

export function schemaDiagnostics(errors: readonly ErrorObject[], ctx: SchemaErrorContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of relevant(errors)) {
    const d = describe(error, ctx);
    const key = `${d.source?.pointer}\u0000${d.summary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/*
 * The schemas' convention, relied on here: a schema with a `pattern` is a named
 * definition whose `description` says in words what the pattern accepts.
 */

const COMBINATORS = new Set(['anyOf', 'oneOf']);
const VALUE_RULES = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minItems',
  'minimum',
  'maximum',
]);

/**
 * Drops what only restates another error: the `if` that failed because its
 * `then` did, and the per-branch failures of an anyOf/oneOf, reported once as
 * the combinator. When a branch failed deeper inside the value, that deeper
 * error is the precise one and the combinator is the noise instead.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const c of errors) {
    if (!COMBINATORS.has(c.keyword)) continue;
    const sameValue = errors.filter((e) => e !== c && e.instancePath === c.instancePath);
    const branches = ((c.parentSchema as SchemaNode | undefined)?.[c.keyword] ?? []) as SchemaNode[];
    if (branches.every((b) => (b['required'] as unknown[] | undefined)?.length === 1)) {
      for (const e of sameValue)
        if (e.keyword === 'required' && e.schemaPath.startsWith(`${c.schemaPath}/`)) dropped.add(e);
      continue;
    }
    const branchFailures = sameValue.filter((e) => VALUE_RULES.has(e.keyword));
    for (const e of branchFailures) dropped.add(e);
    if (errors.some((e) => e.instancePath.startsWith(`${c.instancePath}/`))) dropped.add(c);
  }
  // A bad name is reported twice: as propertyNames, and as the rule it broke (with the name); the latter says more.
  return errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames' && !dropped.has(e));
}

function describe(error: ErrorObject, ctx: SchemaErrorContext): Diagnostic {
  const pointer = error.instancePath;
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  const at = (
    p: string,
    prefer: 'key' | 'value',
    message: string,
    extra: Partial<Diagnostic> = {},
  ): Diagnostic => ({
    severity: 'error',
    code: 'CONFIG_SCHEMA',
    summary: message,
    source: { file: ctx.source.file, ...locate(ctx, p, prefer), pointer: p },
    ...extra,
  });

  if (error.propertyName !== undefined) {
    const name = error.propertyName;
    const rule = parent['description'] ?? `a name matching ${String(params['pattern'] ?? 'its rule')}`;
    return at(`${pointer}${pointerOf([name])}`, 'key', `"${name}" is not ${rule}`);
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = Object.keys((parent['properties'] ?? {}) as SchemaNode);
      return at(`${pointer}${pointerOf([key])}`, 'key', `unknown key "${key}"`, suggestion(key, known));
    }
    case 'required':
      return at(pointer, 'key', `missing required key "${String(params['missingProperty'])}"`);
    case 'enum': {
      if (/^\/predicates\/[^/]+\/type$/.test(pointer))
        return unknownTransform(
          pointer,
          'predicate',
          error.data,
          (params['allowedValues'] as unknown[]).map(String),
          at,
        );
      const allowed = (params['allowedValues'] as unknown[]).map((v) => String(v));
      return at(pointer, 'value', `must be one of ${quoteList(allowed)}`, suggestion(error.data, allowed));
    }
    case 'const':
      if (pointer === '/version') {
        return at(
          pointer,
          'value',
          `this pipe reads format version ${JSON.stringify(params['allowedValue'])}; a newer pipe may read this file`,
        );
      }
      return at(pointer, 'value', `must be ${JSON.stringify(params['allowedValue'])}`);
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(pointer, 'value', `must be ${expectation(parent)}`);
    case 'minItems':
      return at(
        pointer,
        'value',
        params['limit'] === 1 ? 'must not be empty' : `must have at least ${params['limit']} items`,
      );
    case 'minLength':
      return at(
        pointer,
        'value',
        params['limit'] === 1 ? 'must not be empty' : `must have at least ${params['limit']} characters`,
      );
    case 'uniqueItems': {
      const data = error.data as unknown[];
      return at(pointer, 'value', `lists ${JSON.stringify(data[params['i'] as number])} twice`);
    }
    case 'pattern':
      return at(
        pointer,
        'value',
        `must be ${parent['description'] ?? `text matching ${String(params['pattern'])}`}`,
      );
    case 'anyOf':
    case 'oneOf':
      return combinator(error, parent, params, at, ctx);
    default:
      return at(pointer, 'value', error.message ?? `fails the schema's ${error.keyword} rule`);
  }
}

function combinator(
  error: ErrorObject,
  parent: SchemaNode,
  params: Record<string, unknown>,
  at: (p: string, prefer: 'key' | 'value', message: string, extra?: Partial<Diagnostic>) => Diagnostic,
  ctx: SchemaErrorContext,
): Diagnostic {
  const pointer = error.instancePath;
  const branches = (parent[error.keyword] ?? []) as SchemaNode[];
  const connector = /^\/(sources|sinks)\/[^/]+\/connector$/.exec(pointer);
  if (connector) {
    const kind = connector[1] === 'sources' ? 'source' : 'sink';
    const known = ctx.connectorTypes[kind];
    const code: DiagnosticCode = 'UNKNOWN_CONNECTOR';
    return at(
      pointer,
      'value',
      `unknown ${kind} connector type ${JSON.stringify(error.data)}; known: ${known.join(', ')}, or connect:<java class> for a Kafka Connect connector`,
      { code, ...suggestion(error.data, known) },
    );
  }
  if (/\/transforms\/\d+\/type$/.test(pointer)) {
    const known = branches.flatMap((b) => (Array.isArray(b['enum']) ? b['enum'].map(String) : []));
    return unknownTransform(pointer, 'transform', error.data, known, at);
  }
  const requiredSets = branches.map((b) => b['required'] as string[] | undefined);
  const single = requiredSets.flatMap((r) => (r?.length === 1 ? r : []));
  if (single.length === requiredSets.length) {
    const names = single.map((name) => `"${name}"`);
    const passing = params['passingSchemas'];
    const message = Array.isArray(passing)
      ? `must have only one of ${names.join(', ')}`
      : `must have ${names.length === 2 ? 'either' : 'one of'} ${names.join(names.length === 2 ? ' or ' : ', ')}`;
    return at(pointer, 'key', message);
  }
  return at(pointer, 'value', `must be ${alternatives(branches.map(expectation))}`);
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map of keys to values',
  array: 'a list',
  null: 'empty',
};

/** What a schema accepts, in words: `an integer ≥ 1`, `one of "a", "b"`. */
function expectation(schema: SchemaNode): string {
  if (Array.isArray(schema['enum'])) return `one of ${quoteList(schema['enum'].map(String))}`;
  if (typeof schema['description'] === 'string' && typeof schema['pattern'] === 'string')
    return schema['description'];
  const types = ([] as string[]).concat((schema['type'] as string | string[] | undefined) ?? []);
  let text = types.length ? alternatives(types.map((t) => TYPE_WORDS[t] ?? t)) : 'a valid value';
  const min = schema['minimum'] as number | undefined;
  const max = schema['maximum'] as number | undefined;
  const exclusiveMin = schema['exclusiveMinimum'] as number | undefined;
  if (min !== undefined && max !== undefined) text += ` from ${min} to ${max}`;
  else if (min !== undefined) text += ` ≥ ${min}`;
  else if (max !== undefined) text += ` ≤ ${max}`;
  if (exclusiveMin !== undefined) text += ` > ${exclusiveMin}`;
  return text;
}

function alternatives(words: string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function quoteList(values: string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

function unknownTransform(
  pointer: string,
  what: 'transform' | 'predicate',
  value: unknown,
  names: string[],
  at: (p: string, prefer: 'key' | 'value', message: string, extra?: Partial<Diagnostic>) => Diagnostic,
): Diagnostic {
  const short = names.filter((v) => !v.includes('.'));
  const classes =
    what === 'transform'
      ? ", Kafka Connect's class names, or another Java class for a connector on Kafka Connect"
      : " or Kafka Connect's class names";
  return at(
    pointer,
    'value',
    `unknown ${what} type ${JSON.stringify(value)}; known: ${short.join(', ')}${classes} (docs/TRANSFORMS.md)`,
    { code: 'UNKNOWN_TRANSFORM', ...suggestion(shortName(value), short) },
  );
}

/** `org.example.Foo$Value` → `Foo$Value`: a misspelt class name is compared by its simple name. */
function shortName(value: unknown): unknown {
  return typeof value === 'string' ? value.slice(value.lastIndexOf('.') + 1) : value;
}

function suggestion(value: unknown, candidates: string[]): Partial<Diagnostic> {
  if (typeof value !== 'string') return {};
  const hint = didYouMean(value, candidates);
  return hint === undefined ? {} : { suggestion: hint };
}

/** The place of the pointer, or of its nearest ancestor that has one. */
export function locate(
  ctx: { source: YamlSource; located: Located },
  pointer: string,
  prefer: 'key' | 'value',
): { line: number; column: number } {
  let p = pointer;
  for (;;) {
    const place = placeOf(ctx.located, p);
    if (place) return position(ctx.source, prefer === 'key' ? (place.key ?? place.value) : place.value);
    if (!p) return { line: 1, column: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
