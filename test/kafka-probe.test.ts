/** The probe every plan and apply starts with passes the real test broker. */
import { describe, expect, it } from 'vitest';
import { assertSpeaksKafka } from '../src/kafka/probe.js';
import { connection } from './helpers/kafka.js';

describe('the Kafka probe', () => {
  it('finds that the test broker speaks Kafka', async () => {
    await expect(assertSpeaksKafka(connection(), 10_000)).resolves.toBeUndefined();
  });
});
