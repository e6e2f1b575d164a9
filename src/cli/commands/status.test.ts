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
          runtime: 'embedded',
          target: 'running',
          state: 'RUNNING',
          workerId: 'host:1',
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
        'NAME                 KIND       RUNTIME   STATE    TASKS  WORKER  IN  OUT  FAILED  RATE/s  LAG  LAST ERROR',
        'local-file-sink      sink:file  embedded  RUNNING  0/1    host:1  3   3    0       2       0    disk full',
        '  local-file-sink-0                       FAILED          host:1  3   3    0       2       0    disk full',
        '',
      ].join('\n'),
    );
  });

  it('says when no worker runs and when nothing is applied', () => {
    expect(renderStatus({ workers: [], connectors: [], diagnostics: [] }, 'demo')).toBe(
      'no worker is running for demo (start one with pipe up or pipe run)\nno connectors applied\n',
    );
  });

  it('shows connectors on a Kafka Connect runtime with their runtime, worker ids and no counters', () => {
    const report: StatusReport = {
      workers: [],
      runtimes: [{ name: 'cluster', urls: ['http://a:8083'], workers: ['a:8083'] }],
      connectors: [
        {
          name: 'cdc',
          kind: 'source',
          connector: 'connect:io.debezium.connector.postgresql.PostgresConnector',
          runtime: 'cluster',
          target: 'running',
          state: 'RUNNING',
          workerId: 'a:8083',
          error: null,
          tasks: [
            {
              task: 0,
              state: 'FAILED',
              workerId: 'a:8083',
              error: 'ConnectException: no route',
              metrics: null,
            },
          ],
          recordsIn: null,
          recordsOut: null,
          recordsFailed: null,
          rate: null,
          lag: null,
          lastError: 'ConnectException: no route',
        },
      ],
      diagnostics: [],
    };
    expect(renderStatus(report, 'demo')).toBe(
      [
        'runtime cluster (Kafka Connect at http://a:8083): workers a:8083',
        'NAME     KIND                                                               RUNTIME  STATE    TASKS  WORKER  IN  OUT  FAILED  RATE/s  LAG  LAST ERROR',
        'cdc      source:connect:io.debezium.connector.postgresql.PostgresConnector  cluster  RUNNING  0/1    a:8083  -   -    -       -       -    ConnectException: no route',
        '  cdc-0                                                                              FAILED          a:8083  -   -    -       -       -    ConnectException: no route',
        '',
      ].join('\n'),
    );
  });
});
