import type { Command } from 'commander';
import { PipeError } from '../../errors.js';
import { startBroker } from '../../kafka/local/broker.js';
import { defaultKafkaVersion, resolveJars } from '../../kafka/local/jars.js';
import { KNOWN_PLUGINS, pluginCoordinate, resolvePlugin } from '../../kafka/local/plugins.js';
import { action } from '../output.js';
import { fetchProgress } from '../views/fetch-progress.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PipeError('USAGE', `--port must be a TCP port (1-65535), got "${value}"`);
  }
  return port;
}

export function register(program: Command): void {
  const dev = program.command('dev').description('local development helpers');

  dev
    .command('kafka')
    .description('run a single-node Kafka broker (KRaft) on 127.0.0.1 in the foreground')
    .option('--port <n>', 'listener port (default: a free one)')
    .option('--data <dir>', 'storage folder, kept between runs (default: a temporary one, removed at exit)')
    .option('--kafka-version <v>', 'Apache Kafka release from Maven Central', defaultKafkaVersion())
    .action(
      action(async (opts: { port?: string; data?: string; kafkaVersion: string }) => {
        const broker = await startBroker({
          port: opts.port === undefined ? undefined : parsePort(opts.port),
          dataDir: opts.data,
          kafkaVersion: opts.kafkaVersion,
          onFetch: fetchProgress(process.stderr),
        });
        if (!opts.data) process.stderr.write(`data in ${broker.dataDir} (removed at exit)\n`);
        process.stdout.write(`ready ${broker.bootstrap}\n`);
        await new Promise<void>((resolve) => {
          const shutdown = () => resolve();
          process.once('SIGINT', shutdown);
          process.once('SIGTERM', shutdown);
        });
        await broker.stop();
        return 0;
      }),
    );

  dev
    .command('fetch')
    .description('download the Kafka jars into the cache without starting anything')
    .option('--kafka-version <v>', 'Apache Kafka release from Maven Central', defaultKafkaVersion())
    .option('--connect', 'also fetch Kafka Connect and Kafka tools')
    .option(
      '--plugin <name>',
      `a Kafka Connect plugin for the local workers' plugin.path, with its dependencies: ${Object.keys(KNOWN_PLUGINS).join(', ')} or group:artifact:version (repeatable)`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(
      action(async (opts: { kafkaVersion: string; connect?: boolean; plugin: string[] }) => {
        const onFetch = fetchProgress(process.stderr);
        // Parsed first: a typo fails before any download.
        const plugins = opts.plugin.map((p) => pluginCoordinate(p, opts.kafkaVersion));
        const set = await resolveJars(opts.kafkaVersion, opts.connect ? 'connect' : 'broker', { onFetch });
        process.stdout.write(`${set.dir}\n`);
        for (const plugin of plugins)
          process.stdout.write(`${(await resolvePlugin(plugin, { onFetch })).dir}\n`);
        return 0;
      }),
    );
}
