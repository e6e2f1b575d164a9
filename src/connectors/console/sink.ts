/**
 * `console` sink: prints records on standard output, for debugging a
 * pipeline. `format: value` prints the value as the file sink writes it;
 * `json` prints topic, partition, offset, key, value and headers as one JSON
 * line.
 */
import type { ConsoleSinkConfig } from '../../config/types.gen.js';
import type { SinkConnector, SinkRecord, SinkTask } from '../api.js';
import { jsonText, valueText } from '../text.js';

type ConsoleTaskConfig = Required<ConsoleSinkConfig>;

export const consoleSink: SinkConnector<ConsoleSinkConfig, ConsoleTaskConfig> = {
  kind: 'sink',
  type: 'console',
  taskConfigs: (config, maxTasks) =>
    Array.from({ length: maxTasks }, () => ({ format: config.format ?? 'value' })),
  createTask: () => new ConsoleSinkTask(),
};

export class ConsoleSinkTask implements SinkTask<ConsoleTaskConfig> {
  private format: 'value' | 'json' = 'value';
  private pending: string[] = [];

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  async start(config: ConsoleTaskConfig): Promise<void> {
    this.format = config.format;
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const r of records) this.pending.push(this.format === 'json' ? recordJson(r) : valueText(r.value));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    const written = this.pending.length;
    await new Promise<void>((resolve, reject) =>
      this.out.write(text, (err) => (err ? reject(err) : resolve())),
    );
    this.pending.splice(0, written);
  }

  async stop(): Promise<void> {}
}

function recordJson(r: SinkRecord): string {
  return jsonText({
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key,
    value: r.value,
    headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value])),
  });
}
