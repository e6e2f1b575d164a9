/**
 * The connection settings of pipe's @platformatic/kafka clients (the data
 * producer, the state reader), from the same `kafka` section kafkajs gets
 * in client.ts, so every role reaches the cluster the same way.
 */
import type { SASLOptions } from '@platformatic/kafka';
import type { KafkaConnection } from '../config/model.js';

const MECHANISMS = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
} as const satisfies Record<NonNullable<KafkaConnection['sasl']>['mechanism'], SASLOptions['mechanism']>;

export function platformaticConnection(conn: KafkaConnection, role: string) {
  return {
    clientId: `${conn.clientId}-${role}`,
    bootstrapBrokers: conn.brokers,
    connectTimeout: conn.connectionTimeoutMs,
    requestTimeout: conn.requestTimeoutMs,
    timeout: conn.requestTimeoutMs,
    ...(conn.ssl === undefined || conn.ssl === false ? {} : { tls: conn.ssl === true ? {} : conn.ssl }),
    ...(conn.sasl
      ? {
          sasl: {
            mechanism: MECHANISMS[conn.sasl.mechanism],
            username: conn.sasl.username,
            password: conn.sasl.password,
          },
        }
      : {}),
  };
}
