import { describe, expect, it } from 'vitest';
import { PipeError } from '../../errors.js';
import { pluginCoordinate } from './plugins.js';

describe('a plugin named on the command line', () => {
  it('is a known short name, at the workers’ Kafka release where it must match them', () => {
    expect(pluginCoordinate('debezium-postgres', '4.2.0')).toEqual({
      groupId: 'io.debezium',
      artifactId: 'debezium-connector-postgres',
      version: '3.6.1.Final',
    });
    expect(pluginCoordinate('basic-auth', '3.9.1')).toEqual({
      groupId: 'org.apache.kafka',
      artifactId: 'connect-basic-auth-extension',
      version: '3.9.1',
    });
  });

  it('is a Maven coordinate, or an error listing the known names', () => {
    expect(pluginCoordinate('io.confluent:kafka-connect-jdbc:10.7.6', '4.2.0')).toEqual({
      groupId: 'io.confluent',
      artifactId: 'kafka-connect-jdbc',
      version: '10.7.6',
    });
    for (const bad of ['debezium', 'a:b', 'a:b:c:d', 'a::c']) {
      const err = (() => {
        try {
          pluginCoordinate(bad, '4.2.0');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(PipeError);
      expect((err as PipeError).code).toBe('USAGE');
      expect((err as PipeError).message).toContain(`"${bad}"`);
      expect(String((err as PipeError).meta.hint)).toBe('known plugins: debezium-postgres, basic-auth');
    }
  });
});
