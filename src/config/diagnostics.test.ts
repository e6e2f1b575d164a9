import { describe, expect, it } from 'vitest';
import { type Diagnostic, diagnosticsReport, formatDiagnostic, formatDiagnostics } from './diagnostics.js';

const at = (d: Partial<Diagnostic>, source: Partial<NonNullable<Diagnostic['source']>> = {}): Diagnostic => ({
  severity: 'error',
  code: 'CONFIG_SCHEMA',
  summary: 'm',
  source: { file: 'pipelines/a.yaml', line: 1, column: 1, pointer: '/p', ...source },
  ...d,
});

describe('diagnostics', () => {
  it('print as file:line:column: path: summary, then the suggestion', () => {
    expect(
      formatDiagnostic(
        at(
          { summary: 'must be an integer ≥ 1', suggestion: 'did you mean "x"?' },
          { line: 4, column: 17, pointer: '/topics/orders/partitions' },
        ),
      ),
    ).toBe('pipelines/a.yaml:4:17: topics.orders.partitions: must be an integer ≥ 1\n  did you mean "x"?');
  });

  it('print a field whose name holds a slash or a dot as it is spelled', () => {
    expect(formatDiagnostic(at({}, { pointer: '/topics/a~1b/config/retention.ms' }))).toBe(
      'pipelines/a.yaml:1:1: topics.a/b.config.retention.ms: m',
    );
  });

  it('label warnings', () => {
    expect(formatDiagnostic(at({ severity: 'warning' }))).toBe('pipelines/a.yaml:1:1: warning: p: m');
  });

  it('print the summary alone when there is no source', () => {
    const { source: _source, ...noSource } = at({ summary: 'topic.a: cannot shrink', detail: 'why' });
    expect(formatDiagnostic(noSource)).toBe('topic.a: cannot shrink\n  why');
  });

  it('come errors first, then by file and position', () => {
    const list = [
      at({ severity: 'warning' }, { file: 'a.yaml' }),
      at({}, { file: 'b.yaml', line: 2 }),
      at({ summary: 'first' }, { file: 'b.yaml', line: 1 }),
    ];
    expect(formatDiagnostics(list).split('\n')).toEqual([
      'b.yaml:1:1: p: first',
      'b.yaml:2:1: p: m',
      'a.yaml:1:1: warning: p: m',
    ]);
  });

  it('report valid when there are only warnings', () => {
    expect(diagnosticsReport([at({ severity: 'warning' })])).toMatchObject({ valid: true, errors: [] });
    expect(diagnosticsReport([at({})])).toMatchObject({ valid: false, warnings: [] });
  });
});
