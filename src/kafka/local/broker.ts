/**
 * A single-node KRaft broker (broker and controller in one JVM) on 127.0.0.1,
 * for development, tests and benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageOf, PipeError } from '../../errors.js';
import { waitUntil } from '../../time/wait-until.js';
import { connectionFor, createKafka } from '../client.js';
import { freePort } from '../ports.js';
import { defaultKafkaVersion, type FetchEvent, resolveJars } from './jars.js';
import { type JavaProcess, logTail, runJava } from './java.js';
import { writeLogConfig } from './logging.js';
import { ownedTempFolder, removeAbandonedFolders } from './owned-folders.js';

/** Temporary data folders are `<tmpdir>/pipe-kafka-<pid>-XXXXXX`. */
const TEMP_NAME = 'pipe-kafka';

export interface BrokerOptions {
  port?: number;
  /** Kept between runs when given; a temporary folder removed at stop otherwise. */
  dataDir?: string;
  kafkaVersion?: string;
  startTimeoutMs?: number;
  heap?: string;
  /** Told what is fetched when the jars are not cached yet. */
  onFetch?: (event: FetchEvent) => void;
}

export interface LocalBroker {
  host: string;
  port: number;
  bootstrap: string;
  version: string;
  dataDir: string;
  logFile: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(port: number, controllerPort: number, logDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // pipe owns topics declaratively: a topic created behind its back by a
    // client's metadata request would show up as drift in every plan.
    'auto.create.topics.enable=false',
    'log.retention.check.interval.ms=60000',
    '',
  ].join('\n');
}

async function waitForMetadata(bootstrap: string, java: JavaProcess, timeoutMs: number, logFile: string) {
  let lastError: unknown;
  const answered = await waitUntil(
    async () => {
      if (java.hasExited()) {
        throw new PipeError('KAFKA_LAUNCH', `the Kafka broker exited during start-up:\n${logTail(logFile)}`, {
          meta: { file: logFile },
        });
      }
      const admin = createKafka(connectionFor(bootstrap, 'pipe-launcher')).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length > 0 && cluster.controller !== null) return true;
      } catch (err) {
        lastError = err;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
  if (answered) return;
  throw new PipeError(
    'KAFKA_LAUNCH',
    `the Kafka broker did not answer a metadata request in time (${messageOf(lastError)}):\n${logTail(logFile)}`,
    { meta: { file: logFile } },
  );
}

export async function startBroker(options: BrokerOptions = {}): Promise<LocalBroker> {
  const version = options.kafkaVersion ?? defaultKafkaVersion();
  const jars = await resolveJars(version, 'broker', options.onFetch ? { onFetch: options.onFetch } : {});
  const temporary = options.dataDir === undefined;
  // A run killed with SIGKILL could not remove its temporary folder: do it for it.
  await removeAbandonedFolders(tmpdir(), TEMP_NAME);
  const dataDir = options.dataDir ?? (await ownedTempFolder(tmpdir(), TEMP_NAME));
  await mkdir(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();

  const logDir = join(dataDir, 'data');
  const propsFile = join(dataDir, 'server.properties');
  const logFile = join(dataDir, 'broker.log');
  await writeFile(propsFile, serverProperties(port, controllerPort, logDir));
  const logArgs = await writeLogConfig(dataDir, {
    root: 'info',
    loggers: { kafka: 'warn', 'org.apache.kafka': 'warn' },
  });
  const jvmArgs = [
    `-Xmx${options.heap ?? '1g'}`,
    '-Xms256m',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    ...logArgs,
  ];

  if (!existsSync(join(logDir, 'meta.properties'))) {
    const format = runJava({
      classpath: jars.classpath,
      mainClass: 'kafka.tools.StorageTool',
      args: ['format', '-t', clusterId(), '-c', propsFile, '--ignore-formatted'],
      jvmArgs: jvmArgs.filter((a) => !a.startsWith('-Xm')),
      logFile,
    });
    const code = await format.exited;
    if (code !== 0) {
      throw new PipeError(
        'KAFKA_LAUNCH',
        `formatting the KRaft storage failed (exit ${code}):\n${logTail(logFile)}`,
        {
          meta: { file: logFile },
        },
      );
    }
  }

  const java = runJava({
    classpath: jars.classpath,
    mainClass: 'kafka.Kafka',
    args: [propsFile],
    jvmArgs,
    logFile,
  });
  const bootstrap = `127.0.0.1:${port}`;
  const stop = async () => {
    await java.stop();
    if (temporary) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForMetadata(bootstrap, java, options.startTimeoutMs ?? 90000, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host: '127.0.0.1', port, bootstrap, version, dataDir, logFile, pid: java.child.pid, stop };
}
