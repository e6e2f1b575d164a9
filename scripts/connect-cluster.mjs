// A local Kafka Connect cluster in distributed mode for the demos: N workers
// of one group on the given broker, with the plugins named (fetched into the
// cache on first use) and the config providers pipe sends secrets to. Prints
// `ready URL[,URL...]` once every worker serves the connector list, runs in
// the foreground and stops the workers on SIGINT or SIGTERM (the launcher's
// guard stops them too if this process is killed outright).
//
//   node scripts/connect-cluster.mjs BROKERS [WORKERS] [PLUGIN...]
import { startConnectDistributed } from '../dist/kafka/local/connect.js';

const [brokers, count = '1', ...plugins] = process.argv.slice(2);
if (!brokers) {
  console.error('usage: node scripts/connect-cluster.mjs BROKERS [WORKERS] [PLUGIN...]');
  process.exit(2);
}
const clusterName = `pipe-demo-connect-${Date.now().toString(36)}`;
const workerProps = {
  'config.providers': 'env,file,dir',
  'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
  'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
  'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
  'offset.flush.interval.ms': '1000',
};
const started = await Promise.allSettled(
  Array.from({ length: Number(count) }, () =>
    startConnectDistributed({ brokers, clusterName, workerProps, plugins, heap: '512m' }),
  ),
);
const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
const stop = () => Promise.all(workers.map((w) => w.stop()));
const failed = started.find((s) => s.status === 'rejected');
if (failed) {
  console.error(String(failed.reason?.message ?? failed.reason));
  await stop();
  process.exit(1);
}
// A worker answers GET / before it has joined the group; the connector list needs the group.
const deadline = Date.now() + 120_000;
for (;;) {
  const answers = await Promise.all(
    workers.map((w) =>
      fetch(`${w.restUrl}/connectors`).then(
        (r) => r.ok,
        () => false,
      ),
    ),
  );
  if (answers.every(Boolean)) break;
  if (Date.now() > deadline) {
    console.error('the workers did not join their group within 120 s');
    await stop();
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
for (const w of workers) console.error(`worker ${w.restUrl}: log ${w.logFile}`);
console.log(`ready ${workers.map((w) => w.restUrl).join(',')}`);
await new Promise((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
await stop();
