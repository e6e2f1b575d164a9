import { describe, expect, it } from 'vitest';
import { overloaded, type Report, renderMarkdown } from './report.js';
import { row, runFigures } from './results.js';

function report(load: { before: number; after: number }): Report {
  return {
    quick: false,
    seconds: 10,
    environment: {
      date: '2026-12-01T00:00:00.000Z',
      machine: { cpu: 'test cpu', cores: 2, memoryGb: 4, os: 'linux' },
      node: 'v22',
      java: '17',
      kafka: '4.2.0',
      pipe: '0.1.0',
      commit: null,
      load: { start: load.before, end: load.after },
    },
    scenarios: [
      {
        name: 'file-sink',
        title: 'topic → file',
        method: 'how',
        seconds: 5,
        load,
        rows: [
          row({
            name: 'file-sink',
            unit: 'records/s',
            better: 'higher',
            peerName: 'Kafka Connect FileStreamSink',
            runs: [runFigures(300, 200), runFigures(100, 100), runFigures(200, 250)],
          }),
        ],
      },
    ],
  };
}

describe('renderMarkdown', () => {
  it('puts the smallest and largest run beside each median and the ratios', () => {
    const md = renderMarkdown(report({ before: 0.5, after: 1.5 }));
    expect(md).toContain(
      '| 200 (100–300) | 200 (100–250) (Kafka Connect FileStreamSink) | 1.00× (0.80–1.50) | 3 |',
    );
  });

  it('marks a scenario whose load average exceeded the cores, and only that', () => {
    expect(renderMarkdown(report({ before: 1.0, after: 2.5 }))).toContain('| 1.0 → 2.5 ⚠ |');
    expect(renderMarkdown(report({ before: 0.5, after: 1.5 }))).toContain('| 0.5 → 1.5 |');
    expect(overloaded({ before: 2, after: 2 }, 2)).toBe(false);
    expect(overloaded({ before: 2.1, after: 0 }, 2)).toBe(true);
  });

  it('says how the broker was warmed up, when it was', () => {
    const warm = report({ before: 0.5, after: 1.5 });
    warm.environment.warmUp = { records: 1_000_000, seconds: 14.4 };
    expect(renderMarkdown(warm)).toContain(
      '- the broker was warmed up before the first scenario: 1,000,000 records written by ProducerPerformance and read by ConsumerPerformance (14 s)',
    );
    expect(renderMarkdown(report({ before: 0.5, after: 1.5 }))).not.toContain('warmed up');
  });
});
