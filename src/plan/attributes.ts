/**
 * Attribute-level differences between two versions of a resource, as dotted
 * paths. Objects are walked into; arrays and scalars are compared whole, so a
 * reordered `topics` list reads as one changed attribute.
 */
import { canonicalJson } from './fingerprint.js';
import type { AttributeDiff } from './model.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function flatten(value: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(v)) {
      // an empty object contributes no attribute: `config: {}` and no config read the same
      for (const [p, leaf] of flatten(v, path)) out.set(p, leaf);
    } else {
      out.set(path, v);
    }
  }
  return out;
}

/** Whether `path` is one of the secret paths or lies under one. */
export function isSensitive(path: string, sensitive: readonly string[]): boolean {
  return sensitive.some((s) => path === s || path.startsWith(`${s}.`));
}

/**
 * The attributes that differ, in the order of `after` and then those only in
 * `before`. Either side may be absent (create, delete): every attribute of the
 * other side is then listed.
 */
export function diffAttributes(
  before: object | undefined,
  after: object | undefined,
  sensitive: readonly string[] = [],
): AttributeDiff[] {
  const b = before ? flatten(before) : new Map<string, unknown>();
  const a = after ? flatten(after) : new Map<string, unknown>();
  const diffs: AttributeDiff[] = [];
  const push = (path: string, hasBefore: boolean, hasAfter: boolean) => {
    const diff: AttributeDiff = { path };
    if (hasBefore) diff.before = b.get(path);
    if (hasAfter) diff.after = a.get(path);
    if (isSensitive(path, sensitive)) diff.sensitive = true;
    diffs.push(diff);
  };
  for (const path of a.keys()) {
    if (!b.has(path)) push(path, false, true);
    else if (canonicalJson(b.get(path)) !== canonicalJson(a.get(path))) push(path, true, true);
  }
  for (const path of b.keys()) if (!a.has(path)) push(path, true, false);
  return diffs;
}
