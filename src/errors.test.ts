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
    expect(err.toDiagnostic().source).toMatchObject({ file: 'pipelines/a.yaml', line: 4, column: 17 });
    expect(err.cause).toBe(cause);
    expect(err.retriable).toBe(false);
    expect(err.toJSON()).toMatchObject({ code: 'CONFIG_SCHEMA', field: 'topics.orders.partitions', line: 4 });
  });

  it('reports as a diagnostic: position, field before the summary, hint as the suggestion', () => {
    const err = new PipeError('CONFIG_SCHEMA', 'must be an integer', {
      meta: { file: 'a.yaml', line: 4, column: 17, field: 'partitions', resource: 'topic.t', hint: 'use 1' },
    });
    expect(err.toDiagnostic()).toEqual({
      severity: 'error',
      code: 'CONFIG_SCHEMA',
      summary: 'partitions: must be an integer',
      source: { file: 'a.yaml', line: 4, column: 17, pointer: '' },
      address: 'topic.t',
      suggestion: 'use 1',
    });
    const fileOnly = new PipeError('PLAN_FILE', 'not JSON', { meta: { file: 'plan.json' } });
    expect(fileOnly.toDiagnostic()).toEqual({
      severity: 'error',
      code: 'PLAN_FILE',
      summary: 'plan.json: not JSON',
    });
  });

  it('has no source when it points at no file', () => {
    expect(new PipeError('KAFKA_UNREACHABLE', 'no broker', { retriable: true }).toDiagnostic().source).toBe(
      undefined,
    );
  });
});
