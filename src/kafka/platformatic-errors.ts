/**
 * @platformatic/kafka's failures as pipe's errors: unreachable brokers as
 * KAFKA_UNREACHABLE, everything else as KAFKA_REQUEST in the broker's own
 * words, retriable when the client says a second try may succeed. Shared by
 * the data producer and the sink consumer.
 */
import { GenericError, MultipleErrors } from '@platformatic/kafka';
import type { KafkaConnection } from '../config/model.js';
import { PipeError } from '../errors.js';
import { unreachable } from './client.js';

function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error) || !GenericError.isGenericError(err)) return false;
  if (MultipleErrors.isMultipleErrors(err)) return err.errors.length > 0 && err.errors.every(isUnreachable);
  return err.code === 'PLT_KFK_NETWORK' || err.code === 'PLT_KFK_TIMEOUT';
}

export function canRetry(err: unknown): boolean {
  if (!(err instanceof Error) || !GenericError.isGenericError(err)) return false;
  if (err.canRetry === true) return true;
  return MultipleErrors.isMultipleErrors(err) && err.errors.length > 0 && err.errors.every(canRetry);
}

/** Whether the broker answered with this error code (e.g. OFFSET_OUT_OF_RANGE) anywhere in the failure. */
export function hasApiError(err: unknown, apiId: string): boolean {
  if (!(err instanceof Error) || !GenericError.isGenericError(err)) return false;
  return (err as GenericError).findBy('apiId', apiId) !== null;
}

/**
 * The broker's own words: the client wraps them in "Producing messages
 * failed." around a tree of per-partition errors.
 */
function reasonOf(err: unknown): string {
  const reasons = new Set<string>();
  const walk = (e: unknown) => {
    if (e instanceof AggregateError && e.errors.length > 0) {
      for (const inner of e.errors) walk(inner);
      return;
    }
    if (!(e instanceof Error)) {
      reasons.add(String(e));
      return;
    }
    const { apiId, serverErrorMessage } = e as { apiId?: unknown; serverErrorMessage?: unknown };
    const server =
      typeof serverErrorMessage === 'string' && serverErrorMessage ? ` (${serverErrorMessage})` : '';
    reasons.add(typeof apiId === 'string' ? `${apiId}: ${e.message}${server}` : e.message);
  };
  walk(err);
  return [...reasons].join('; ');
}

export function pipeErrorOf(conn: KafkaConnection, err: unknown, what: string): PipeError {
  if (err instanceof PipeError) return err;
  if (isUnreachable(err)) return unreachable(conn, err);
  return new PipeError('KAFKA_REQUEST', `${what}: ${reasonOf(err)}`, {
    cause: err,
    retriable: canRetry(err),
  });
}
