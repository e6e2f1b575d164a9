/**
 * Where a source batch's records without a key go: one partition per batch,
 * the next batch to the next partition, as the Java producer's sticky
 * partitioner does for Kafka Connect. kafkajs would spread a batch over every
 * partition record by record, so lines appended together would reach a file
 * sink out of order.
 */
export class StickyPartitions {
  private readonly counts = new Map<string, { count: number; at: number }>();
  private readonly next = new Map<string, number>();

  constructor(
    /** The topic's partition count; undefined leaves the choice to the producer. */
    private readonly partitionCount: (topic: string) => Promise<number | undefined>,
    private readonly now: () => number = Date.now,
    /** Partitions added to a topic are picked up after this long. */
    private readonly refreshMs = 60_000,
  ) {}

  async forBatch(topic: string): Promise<number | undefined> {
    let known = this.counts.get(topic);
    if (!known || this.now() - known.at > this.refreshMs) {
      const count = await this.partitionCount(topic).catch(() => undefined);
      if (count === undefined || count < 1) return undefined;
      known = { count, at: this.now() };
      this.counts.set(topic, known);
    }
    const partition = (this.next.get(topic) ?? 0) % known.count;
    this.next.set(topic, partition + 1);
    return partition;
  }
}
