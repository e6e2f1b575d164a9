import { describe, expect, it } from 'vitest';
import { type Diagnostic, diagnosticsReport, formatDiagnostic, formatDiagnostics } from './diagnostics.js';

const at = (d: Partial<Diagnostic>): Diagnostic => ({
  severity: 'error',
  code: 'CONFIG_SCHEMA',
  message: 'm',
  file: 'pipelines/a.yaml',
  line: 1,
  column: 1,
  path: 'p',
  ...d,
});

describe('diagnostics', () => {
  it('print as file:line:column: path: message, then the suggestion', () => {
    expect(
      formatDiagnostic(
        at({
          line: 4,
          column: 17,
          path: 'topics.orders.partitions',
          message: 'must be an integer ≥ 1',
          suggestion: 'did you mean "x"?',
        }),
      ),
    ).toBe('pipelines/a.yaml:4:17: topics.orders.partitions: must be an integer ≥ 1\n  did you mean "x"?');
  });

  it('label warnings', () => {
    expect(formatDiagnostic(at({ severity: 'warning' }))).toBe('pipelines/a.yaml:1:1: warning: p: m');
  });

  it('come errors first, then by file and position', () => {
    const list = [
      at({ severity: 'warning', file: 'a.yaml' }),
      at({ file: 'b.yaml', line: 2 }),
      at({ file: 'b.yaml', line: 1, message: 'first' }),
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
