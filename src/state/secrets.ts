/**
 * Secrets never reach the state topics in clear. A connector spec's secret
 * values that came from `${env:…}` or `${file:…}` are stored as those
 * references ("sealed"), and the worker resolves them in its own environment
 * when it starts the connector: Kafka Connect's config providers, without a
 * provider class to configure.
 */
import { interpolate } from '../config/interpolate.js';
import type { ConnectorSpec } from '../config/model.js';
import { segmentsOf } from '../config/yaml-source.js';
import { rememberSecret } from '../redact.js';

type Sealable = Pick<ConnectorSpec, 'sealed'>;

function replaceAt(
  root: unknown,
  segments: readonly string[],
  replace: (value: unknown) => unknown,
): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return replace(root);
  if (Array.isArray(root)) {
    const index = Number(head);
    if (!(index >= 0 && index < root.length)) return root;
    const copy = [...root];
    copy[index] = replaceAt(root[index], rest, replace);
    return copy;
  }
  if (root === null || typeof root !== 'object' || !(head in root)) return root;
  const record = root as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, replace) };
}

/**
 * The spec as stored: each sealed secret replaced by its reference text.
 * Only string values are sealed: numbers and flags are not credentials, and
 * keeping their type keeps the connector's config valid without resolving.
 */
export function sealSpec<T extends Sealable>(spec: T): T {
  let out: T = spec;
  for (const [pointer, text] of Object.entries(spec.sealed ?? {})) {
    out = replaceAt(out, segmentsOf(pointer), (value) => (typeof value === 'string' ? text : value)) as T;
  }
  return out;
}

export interface UnsealContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads `${file:path}`, relative paths from the project folder. */
  readFile(path: string): string;
}

export type Unsealed<T> = { ok: true; spec: T } | { ok: false; pointer: string; message: string };

const SECRET_REFERENCE = /\$\$\{|\$\{((?:env|file):[^}]*)\}/g;

/**
 * Remembers, for redaction (src/redact.ts), the value of every `${env:…}` and
 * `${file:…}` reference in a spec's sealed string values, each with its
 * reference. Numbers and flags are not sealed (see sealSpec), so not
 * redacted either: a port in every message would turn into its reference. A
 * reference that does not resolve here has no value to hide.
 */
export function rememberSecretsOf(spec: Sealable, ctx: UnsealContext): void {
  for (const [pointer, text] of Object.entries(spec.sealed ?? {})) {
    if (typeof valueAt(spec, segmentsOf(pointer)) !== 'string') continue;
    for (const match of text.matchAll(SECRET_REFERENCE)) {
      if (match[1] === undefined) continue;
      const resolved = interpolate(match[0], { env: ctx.env, readFile: ctx.readFile });
      if (resolved.ok) rememberSecret(String(resolved.value), match[0]);
    }
  }
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let at = root;
  for (const segment of segments) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

/** The stored spec with its sealed secrets resolved where the worker runs. */
export function unsealSpec<T extends Sealable>(spec: T, ctx: UnsealContext): Unsealed<T> {
  rememberSecretsOf(spec, ctx);
  let out: T = spec;
  for (const [pointer, text] of Object.entries(spec.sealed ?? {})) {
    let failure: string | undefined;
    out = replaceAt(out, segmentsOf(pointer), (value) => {
      if (typeof value !== 'string') return value;
      const resolved = interpolate(text, { env: ctx.env, readFile: ctx.readFile });
      if (!resolved.ok) {
        failure = resolved.message;
        return value;
      }
      return String(resolved.value);
    }) as T;
    if (failure !== undefined) return { ok: false, pointer, message: failure };
  }
  return { ok: true, spec: out };
}
