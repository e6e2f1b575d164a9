/**
 * A connector's transforms as one function, applied in order as Kafka
 * Connect's `TransformationChain` does: a transform with a predicate runs
 * only on the records the predicate matches (or, negated, does not match); a
 * null result drops the record and ends the chain. A failure names the
 * transform, so the error policy and the dead letter headers say which one.
 */
import type { TransformSpec } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import type { TransformRecord } from './record.js';
import { createPredicate, createTransform } from './registry.js';

export type TransformChain = <R extends TransformRecord>(record: R) => R | null;

interface Stage {
  spec: TransformSpec;
  apply: <R extends TransformRecord>(record: R) => R | null;
  test?: (record: TransformRecord) => boolean;
}

/** Builds the chain; throws `TRANSFORM_CONFIG` naming the transform when its settings are wrong. */
export function buildTransformChain(specs: readonly TransformSpec[]): TransformChain | undefined {
  if (specs.length === 0) return undefined;
  const stages: Stage[] = specs.map((spec) => {
    const transform = createTransform(spec.name, spec.type, spec.config);
    const stage: Stage = { spec, apply: (r) => transform.apply(r) };
    if (spec.predicate) {
      const predicate = createPredicate(spec.predicate.name, spec.predicate.type, spec.predicate.config);
      const negate = spec.negate;
      stage.test = (r) => predicate.test(r) !== negate;
    }
    return stage;
  });
  return <R extends TransformRecord>(record: R): R | null => {
    let current: R | null = record;
    for (const stage of stages) {
      try {
        if (stage.test && !stage.test(current)) continue;
        current = stage.apply(current);
      } catch (err) {
        throw transformFailure(stage.spec, err);
      }
      if (current === null) return null;
    }
    return current;
  };
}

function transformFailure(spec: TransformSpec, err: unknown): PipeError {
  return new PipeError(
    'TRANSFORM_DATA',
    `transform "${spec.name}" (${spec.type}) failed: ${messageOf(err)}`,
    {
      cause: err,
      meta: { transform: spec.name, transformClass: spec.type },
    },
  );
}
