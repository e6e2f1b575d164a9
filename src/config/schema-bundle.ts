/**
 * One self-contained JSON Schema for a kind of file, for tools that take a
 * single schema (CI validators, editors without file access): every other
 * schema file is embedded under `definitions` and references are rewritten to
 * point there.
 */
import type { SchemaFile } from './schemas.js';

type Json = unknown;

export function bundleSchema(rootId: string, files: readonly SchemaFile[]): Record<string, unknown> {
  const root = files.find((f) => f.id === rootId);
  if (!root) throw new Error(`no schema ${rootId}`);
  const key = (id: string) => id.replace(/\.schema\.json$/, '').replaceAll('/', '.');
  const bundled = rewrite(root.schema, root.id, rootId, key) as Record<string, unknown>;
  const definitions = { ...(bundled['definitions'] as Record<string, unknown> | undefined) };
  for (const file of files) {
    if (file.id === rootId) continue;
    const {
      $id: _id,
      $schema: _schema,
      ...embedded
    } = rewrite(file.schema, file.id, rootId, key) as Record<string, unknown>;
    definitions[key(file.id)] = embedded;
  }
  return { ...bundled, $id: rootId, definitions };
}

function rewrite(node: Json, fileId: string, rootId: string, key: (id: string) => string): Json {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, fileId, rootId, key));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === '$ref' && typeof v === 'string'
        ? target(v, fileId, rootId, key)
        : rewrite(v, fileId, rootId, key);
  }
  return out;
}

function target(ref: string, fileId: string, rootId: string, key: (id: string) => string): string {
  const resolved = new URL(ref, `file:///${fileId}`);
  const id = decodeURIComponent(resolved.pathname.slice(1));
  const fragment = decodeURIComponent(resolved.hash.slice(1));
  return id === rootId ? `#${fragment}` : `#/definitions/${key(id)}${fragment}`;
}
