/**
 * A task's counters, read by the status reporter. The rate is computed
 * between two snapshots from the times passed in, so it is tested without
 * waiting.
 */
import type { TaskMetrics } from '../state/records.js';

export class TaskCounters {
  recordsIn = 0;
  recordsOut = 0;
  recordsFailed = 0;
  lag: number | undefined;
  lastError: string | undefined;
  /** The topics the task wrote (source) or read (sink) records of: Connect's active topics. */
  readonly topics = new Set<string>();
  /** A sink's consumer lag by partition, as of its last batch from each. */
  readonly lagByPartition = new Map<string, { topic: string; partition: number; lag: number }>();
  private lastOut = 0;
  private lastAt: number | undefined;

  /** Once a batch: the partition's lag, and the task's lag as their sum. */
  partitionLag(topic: string, partition: number, lag: number): void {
    this.lagByPartition.set(`${topic}\u0000${partition}`, { topic, partition, lag });
    let sum = 0;
    for (const p of this.lagByPartition.values()) sum += p.lag;
    this.lag = sum;
  }

  snapshot(nowMs: number): TaskMetrics {
    const elapsed = this.lastAt === undefined ? 0 : (nowMs - this.lastAt) / 1000;
    const rate = elapsed > 0 ? Math.round((this.recordsOut - this.lastOut) / elapsed) : 0;
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
