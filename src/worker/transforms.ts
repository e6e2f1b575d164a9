/**
 * The transforms slot between a task and the converters: the connector's
 * transforms as one function (src/transforms), or undefined when it has none.
 * Settings the YAML checks could not catch fail the task when it starts,
 * naming the connector and the transform.
 */
import type { TransformSpec } from '../config/model.js';
import { messageOf, PipeError } from '../errors.js';
import { buildTransformChain, type TransformRecord } from '../transforms/index.js';

export type Transform<R> = (record: R) => R | null;

export function transformChain<R extends TransformRecord>(
  specs: TransformSpec[],
  connector: string,
): Transform<R> | undefined {
  try {
    return buildTransformChain(specs);
  } catch (err) {
    throw new PipeError('CONNECTOR_CONFIG', `${connector}: ${messageOf(err)}`, {
      cause: err,
      meta: { field: 'transforms' },
    });
  }
}
