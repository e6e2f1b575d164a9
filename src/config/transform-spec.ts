/**
 * A transform declaration → its spec: the type as Kafka Connect's class name
 * (so `HoistField$Value` and the class name plan as the same thing) and the
 * predicate it names resolved from the file's `predicates:`. The file has
 * passed its schema and the transform checks, so names resolve.
 */
import { resolvePredicateType, resolveTransformType } from '../transforms/catalog.js';
import type { TransformSpec } from './model.js';
import type { PredicateDeclaration, TransformDeclaration } from './types.gen.js';

export function transformSpec(
  declaration: TransformDeclaration,
  predicates: Record<string, PredicateDeclaration>,
): TransformSpec {
  const spec: TransformSpec = {
    name: declaration.name,
    type: resolveTransformType(declaration.type)?.connectClass ?? declaration.type,
    config: { ...(declaration.config as Record<string, unknown> | undefined) },
    negate: declaration.negate ?? false,
  };
  const predicate = declaration.predicate === undefined ? undefined : predicates[declaration.predicate];
  if (declaration.predicate !== undefined && predicate !== undefined) {
    spec.predicate = {
      name: declaration.predicate,
      type: resolvePredicateType(predicate.type)?.connectClass ?? predicate.type,
      config: { ...(predicate.config as Record<string, unknown> | undefined) },
    };
  }
  return spec;
}
