import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../worker/status-report.js';
import { renderStatus } from './status.js';

const metrics = { recordsIn: 3, recordsOut: 3, recordsFailed: 0, rate: 2, lag: 0, updatedAt: '' };

describe('renderStatus', () => {
  it('shows each connector with its tasks, counters, lag and last error in aligned columns', () => {
    const report: StatusReport = {
      workers: [{ worker_id: 'host:1', project: 'demo', startedAt: '', heartbeatAt: '' }],
      connectors: [
        {
          name: 'local-file-sink',
          kind: 'sink',
          connector: 'file',
          target: 'running',
          state: 'RUNNING',
          error: null,
          tasks: [{ task: 0, state: 'FAILED', workerId: 'host:1', error: 'disk full', metrics }],
          recordsIn: 3,
          recordsOut: 3,
          recordsFailed: 0,
          rate: 2,
          lag: 0,
          lastError: 'disk full',
        },
      ],
      diagnostics: [],
    };
    expect(renderStatus(report, 'demo')).toBe(
      [
        'workers: host:1',
        'NAME                 KIND       STATE    TASKS  IN  OUT  FAILED  RATE/s  LAG  LAST ERROR',
        'local-file-sink      sink:file  RUNNING  0/1    3   3    0       2       0    disk full',
        '  local-file-sink-0             FAILED          3   3    0       2       0    disk full',
        '',
      ].join('\n'),
    );
  });

  it('says when no worker runs and when nothing is applied', () => {
    expect(renderStatus({ workers: [], connectors: [], diagnostics: [] }, 'demo')).toBe(
      'no worker is running for demo (start one with pipe up or pipe run)\nno connectors applied\n',
    );
  });
});
