/**
 * A task's counters, read by the status reporter. The rate is computed
 * between two snapshots from the times passed in, so it is tested without
 * waiting.
 */
import type { TaskMetrics } from '../state/records.js';

export class TaskCounters {
  recordsIn = 0;
  recordsOut = 0;
  /** Records skipped under `errors.tolerance: all` (pipe status's "failed"). */
  recordsFailed = 0;
  /** Records that failed conversion or a transform, skipped or not (one fails the task under `none`). */
  recordErrors = 0;
  offsetCommits = 0;
  offsetCommitFailures = 0;
  /** Sum and largest duration of the successful offset commits, for their average and maximum. */
  offsetCommitMsTotal = 0;
  offsetCommitMsMax = 0;
  deadLetterRequests = 0;
  deadLetterFailures = 0;
  /** Records per poll (source) or per batch handed to the task (sink). */
  batches = 0;
  batchRecordsTotal = 0;
  batchSizeMax = 0;
  /** Records in and out per second between the last two snapshots, as `pipe status` shows them. */
  rateIn = 0;
  rateOut = 0;
  lag: number | undefined;
  lastError: string | undefined;
  /** The topics the task wrote (source) or read (sink) records of: Connect's active topics. */
  readonly topics = new Set<string>();
  /** A sink's consumer lag by partition, as of its last batch from each. */
  readonly lagByPartition = new Map<string, { topic: string; partition: number; lag: number }>();
  private lastIn = 0;
  private lastOut = 0;
  private lastAt: number | undefined;

  /** Once a batch: the partition's lag, and the task's lag as their sum. */
  partitionLag(topic: string, partition: number, lag: number): void {
    this.lagByPartition.set(`${topic}\u0000${partition}`, { topic, partition, lag });
    let sum = 0;
    for (const p of this.lagByPartition.values()) sum += p.lag;
    this.lag = sum;
  }

  /** Once an offset commit settled, with how long it took. */
  offsetCommit(ok: boolean, ms: number): void {
    if (!ok) {
      this.offsetCommitFailures++;
      return;
    }
    this.offsetCommits++;
    this.offsetCommitMsTotal += ms;
    if (ms > this.offsetCommitMsMax) this.offsetCommitMsMax = ms;
  }

  batch(records: number): void {
    this.batches++;
    this.batchRecordsTotal += records;
    if (records > this.batchSizeMax) this.batchSizeMax = records;
  }

  snapshot(nowMs: number): TaskMetrics {
    const elapsed = this.lastAt === undefined ? 0 : (nowMs - this.lastAt) / 1000;
    const rate = elapsed > 0 ? Math.round((this.recordsOut - this.lastOut) / elapsed) : 0;
    this.rateOut = rate;
    this.rateIn = elapsed > 0 ? Math.round((this.recordsIn - this.lastIn) / elapsed) : 0;
    this.lastIn = this.recordsIn;
    this.lastOut = this.recordsOut;
    this.lastAt = nowMs;
    const metrics: TaskMetrics = {
      recordsIn: this.recordsIn,
      recordsOut: this.recordsOut,
      recordsFailed: this.recordsFailed,
      rate,
      updatedAt: new Date(nowMs).toISOString(),
    };
    if (this.lag !== undefined) metrics.lag = this.lag;
    if (this.lastError !== undefined) metrics.lastError = this.lastError;
    return metrics;
  }
}
