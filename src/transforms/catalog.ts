/**
 * The transform and predicate types (schemas/transforms/catalog.json, which
 * also drives the JSON Schemas): resolves the names a pipeline may use —
 * short (`HoistField$Value`) or Kafka Connect's class name — to one entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR } from '../config/schemas.js';

interface CatalogEntry {
  class: string;
  variants?: Array<'Key' | 'Value'>;
}

interface Catalog {
  transforms: Record<string, CatalogEntry>;
  predicates: Record<string, CatalogEntry>;
}

export interface ResolvedType {
  /** The catalog's name without the variant: `HoistField`, `unwrap`. */
  base: string;
  variant?: 'Key' | 'Value';
  /** Kafka Connect's class name, with the variant: `org.apache.kafka.connect.transforms.HoistField$Value`. */
  connectClass: string;
}

let catalog: Catalog | undefined;

function read(): Catalog {
  catalog ??= JSON.parse(readFileSync(join(SCHEMA_DIR, 'transforms', 'catalog.json'), 'utf8')) as Catalog;
  return catalog;
}

function names(entries: Record<string, CatalogEntry>): Map<string, ResolvedType> {
  const out = new Map<string, ResolvedType>();
  for (const [base, entry] of Object.entries(entries)) {
    for (const variant of entry.variants ?? [undefined]) {
      const suffix = variant ? `$${variant}` : '';
      const resolved: ResolvedType = {
        base,
        connectClass: entry.class + suffix,
        ...(variant ? { variant } : {}),
      };
      out.set(base + suffix, resolved);
      out.set(entry.class + suffix, resolved);
    }
  }
  return out;
}

let transformNames: Map<string, ResolvedType> | undefined;
let predicateNames: Map<string, ResolvedType> | undefined;

export function resolveTransformType(type: string): ResolvedType | undefined {
  transformNames ??= names(read().transforms);
  return transformNames.get(type);
}

export function resolvePredicateType(type: string): ResolvedType | undefined {
  predicateNames ??= names(read().predicates);
  return predicateNames.get(type);
}

export function transformTypeNames(): string[] {
  transformNames ??= names(read().transforms);
  return [...transformNames.keys()];
}

export function predicateTypeNames(): string[] {
  predicateNames ??= names(read().predicates);
  return [...predicateNames.keys()];
}
