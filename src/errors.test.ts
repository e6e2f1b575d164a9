import { describe, expect, it } from 'vitest';
import { PipeError } from './errors.js';

describe('PipeError', () => {
  it('carries a stable code, the position it points at and its cause', () => {
    const cause = new Error('boom');
    const err = new PipeError('CONFIG_SCHEMA', 'must be an integer', {
      meta: { file: 'pipelines/a.yaml', line: 4, column: 17, field: 'topics.orders.partitions' },
      cause,
    });
    expect(err.code).toBe('CONFIG_SCHEMA');
    expect(err.location).toBe('pipelines/a.yaml:4:17');
    expect(err.cause).toBe(cause);
    expect(err.retriable).toBe(false);
    expect(err.toJSON()).toMatchObject({ code: 'CONFIG_SCHEMA', field: 'topics.orders.partitions', line: 4 });
  });

  it('has no location when it points at no file', () => {
    expect(new PipeError('KAFKA_UNREACHABLE', 'no broker', { retriable: true }).location).toBe('');
  });
});
