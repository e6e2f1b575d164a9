/**
 * The transforms slot between a task and the converters. The embedded worker
 * has no built-in transforms yet: a connector that declares one fails with a
 * clear message instead of running without it.
 */
import type { TransformSpec } from '../config/model.js';
import { PipeError } from '../errors.js';

export type Transform<R> = (record: R) => R | null;

export function transformChain<R>(specs: TransformSpec[], connector: string): Transform<R> | undefined {
  const [first] = specs;
  if (first === undefined) return undefined;
  throw new PipeError(
    'CONNECTOR_CONFIG',
    `transform "${first.type}" of ${connector} is not available in pipe's embedded worker`,
    {
      meta: {
        field: 'transforms',
        hint: 'run this pipeline on a Kafka Connect cluster, or remove the transform',
      },
    },
  );
}
