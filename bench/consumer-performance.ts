/**
 * Kafka's own ConsumerPerformance from the same jars as the local broker: how
 * fast this machine reads a topic with Kafka's Java consumer and does nothing
 * with the records, the topic side's ceiling of a sink.
 */
import { runKafkaTool } from './kafka-tool.js';

export interface ConsumerPerfOptions {
  brokers: string;
  topic: string;
  records: number;
  version: string;
}

/** The tool's figures; the fetch ones leave out the time spent joining the group. */
export interface ConsumerPerfSummary {
  records: number;
  fetchRecordsPerSec: number;
  fetchMbPerSec: number;
}

/**
 * Reads the tool's CSV line: start.time, end.time, MB, MB.sec, nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec.
 */
export function parseConsumerPerfSummary(output: string): ConsumerPerfSummary | undefined {
  const lines = output.split('\n').map((l) => l.trim());
  const header = lines.findIndex((l) => l.startsWith('start.time'));
  if (header < 0) return undefined;
  const cells = lines[header + 1]?.split(',').map((c) => c.trim()) ?? [];
  if (cells.length < 10) return undefined;
  const [records, fetchMb, fetchRecords] = [cells[4], cells[8], cells[9]].map(Number) as [
    number,
    number,
    number,
  ];
  if (![records, fetchMb, fetchRecords].every(Number.isFinite)) return undefined;
  return { records, fetchRecordsPerSec: fetchRecords, fetchMbPerSec: fetchMb };
}

/** Reads `records` records of `topic` from the start in a fresh group and returns the tool's summary. */
export function runConsumerPerformance(options: ConsumerPerfOptions): Promise<ConsumerPerfSummary> {
  return runKafkaTool({
    tool: 'ConsumerPerformance',
    logName: 'consumer-perf',
    version: options.version,
    // --messages: the name both 3.x and 4.x accept (4.2 prefers --num-records and warns).
    args: [
      '--bootstrap-server',
      options.brokers,
      '--topic',
      options.topic,
      '--messages',
      String(options.records),
      '--group',
      `pipe-bench-consumer-perf-${Date.now().toString(36)}`,
      '--timeout',
      '60000',
    ],
    parse: parseConsumerPerfSummary,
  });
}
