/**
 * One real Kafka broker for the whole integration run, started on a free port
 * (or the cluster named by KAFKA_BROKERS) and stopped at the end, whether
 * tests pass, fail or the run is interrupted: the launcher's JVM guard kills
 * the broker when this process goes away by any means.
 */
import type { TestProject } from 'vitest/node';
import { type LocalBroker, startBroker } from '../src/kafka/local/broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kafkaVersion: string;
  }
}

let broker: LocalBroker | undefined;

export async function setup(project: TestProject): Promise<void> {
  const external = process.env['KAFKA_BROKERS'];
  if (external) {
    project.provide('kafkaBrokers', external);
    project.provide('kafkaVersion', 'external');
    return;
  }
  broker = await startBroker();
  project.provide('kafkaBrokers', broker.bootstrap);
  project.provide('kafkaVersion', broker.version);
  const stop = () => {
    broker?.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function teardown(): Promise<void> {
  await broker?.stop();
}
