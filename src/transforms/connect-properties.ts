/**
 * A connector's transforms as Kafka Connect's connector settings
 * (`transforms=a,b`, `transforms.a.type=…`, `transforms.a.<setting>=…`,
 * `transforms.a.predicate`, `transforms.a.negate`, `predicates=…`,
 * `predicates.p.type=…`), so the YAML that runs in the embedded worker runs
 * unchanged on a Connect cluster. Lists become Connect's comma-separated text.
 */
import type { TransformSpec } from '../config/model.js';

function text(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

export function connectTransformProperties(transforms: readonly TransformSpec[]): Record<string, string> {
  if (transforms.length === 0) return {};
  const out: Record<string, string> = { transforms: transforms.map((t) => t.name).join(',') };
  const predicates = new Map<string, NonNullable<TransformSpec['predicate']>>();
  for (const t of transforms) {
    const prefix = `transforms.${t.name}.`;
    out[`${prefix}type`] = t.type;
    for (const [key, value] of Object.entries(t.config))
      if (value !== undefined && value !== null) out[prefix + key] = text(value);
    if (t.predicate) {
      out[`${prefix}predicate`] = t.predicate.name;
      if (t.negate) out[`${prefix}negate`] = 'true';
      predicates.set(t.predicate.name, t.predicate);
    }
  }
  if (predicates.size > 0) {
    out['predicates'] = [...predicates.keys()].join(',');
    for (const [name, p] of predicates) {
      out[`predicates.${name}.type`] = p.type;
      for (const [key, value] of Object.entries(p.config))
        if (value !== undefined && value !== null) out[`predicates.${name}.${key}`] = text(value);
    }
  }
  return out;
}
