import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importFromConnect, pipeValue, secretVariable } from './from-connect.js';

const providers = { env: 'env', dir: 'dir' };
const runtime = { name: 'cluster', providers };

describe('importFromConnect', () => {
  it('turns the workers’ references back into pipe’s, and escapes those of providers pipe does not model', () => {
    expect(pipeValue('${env:PG_PASSWORD}', providers)).toBe('${env:PG_PASSWORD}');
    expect(pipeValue('${dir:/run/secrets:pg}', providers)).toBe('${file:/run/secrets/pg}');
    expect(pipeValue('${vault:secret/pg:password}', providers)).toBe('$${vault:secret/pg:password}');
    expect(pipeValue('${file:/etc/pg.properties:password}', providers)).toBe(
      '$${file:/etc/pg.properties:password}',
    );
    expect(pipeValue('jdbc:${env:HOST}/db', { env: 'vars' })).toBe('jdbc:$${env:HOST}/db');
    expect(pipeValue('plain', providers)).toBe('plain');
  });

  it('names the variable of a secret after its connector and key', () => {
    expect(secretVariable('orders-cdc', 'database.password')).toBe('ORDERS_CDC_DATABASE_PASSWORD');
  });

  it('writes a secret held in clear as an env reference, never its value, and says which variable to set', () => {
    const result = importFromConnect(
      [
        {
          name: 'orders-cdc',
          config: {
            'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
            'tasks.max': '1',
            'database.hostname': 'db',
            'database.password': 'hunter2-clear',
            'database.user': 'pipe',
            'ssl.truststore.password': '${env:TRUST}',
          },
          passwordKeys: ['database.password'],
        },
        {
          name: 'audit',
          config: {
            'connector.class': 'com.example.AuditSink',
            topics: 'a,b',
            'api.token': 'tok-clear-123',
            'api.key.file': '${dir:/run/secrets:audit}',
          },
          passwordKeys: [],
        },
      ],
      {
        project: 'p',
        pipeline: 'imported',
        runtime,
        runtimeIsDefault: true,
        newProjectUrls: ['http://c:8083'],
      },
    );
    const text = result.pipelineFile.text;
    expect(text).not.toContain('hunter2-clear');
    expect(text).not.toContain('tok-clear-123');
    const pipeline = parse(text);
    expect(pipeline.sources['orders-cdc']).toEqual({
      connector: 'connect:io.debezium.connector.postgresql.PostgresConnector',
      tasks: 1,
      config: {
        'database.hostname': 'db',
        'database.password': '${env:ORDERS_CDC_DATABASE_PASSWORD}',
        'database.user': 'pipe',
        'ssl.truststore.password': '${env:TRUST}',
      },
    });
    expect(pipeline.sinks.audit).toMatchObject({
      connector: 'connect:com.example.AuditSink',
      topics: ['a', 'b'],
      config: { 'api.token': '${env:AUDIT_API_TOKEN}', 'api.key.file': '${file:/run/secrets/audit}' },
    });
    expect(pipeline.topics).toBeUndefined();
    expect(result.secretVariables).toEqual([
      { variable: 'ORDERS_CDC_DATABASE_PASSWORD', connector: 'orders-cdc', key: 'database.password' },
      { variable: 'AUDIT_API_TOKEN', connector: 'audit', key: 'api.token' },
    ]);
    expect(result.notes.map((n) => n.message)).toContainEqual(
      expect.stringContaining('set ORDERS_CDC_DATABASE_PASSWORD to its value on the Kafka Connect workers'),
    );
    expect(result.notes.map((n) => n.message).join('\n')).not.toMatch(/hunter2|tok-clear/);
    expect(parse(result.projectFile ?? '')).toEqual({
      version: 1,
      project: 'p',
      kafka: { brokers: '${env:KAFKA_BROKERS:-localhost:9092}' },
      runtimes: {
        cluster: { type: 'connect', urls: ['http://c:8083'], providers: { env: 'env', dir: 'dir' } },
      },
      runtime: 'cluster',
    });
  });

  it('names the runtime on each connector when importing into a project whose default is another', () => {
    const result = importFromConnect(
      [
        {
          name: 'lines',
          config: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            topics: 't',
            file: '/tmp/x',
          },
          passwordKeys: [],
        },
      ],
      {
        project: 'p',
        pipeline: 'cluster',
        runtime: { name: 'prod', providers: {} },
        runtimeIsDefault: false,
      },
    );
    expect(result.projectFile).toBeUndefined();
    expect(parse(result.pipelineFile.text).sinks.lines).toEqual({
      connector: 'file',
      topics: ['t'],
      config: { file: '/tmp/x' },
      runtime: 'prod',
    });
  });

  it('keeps a FileStream connector’s class when it has settings pipe’s file connector would drop', () => {
    const result = importFromConnect(
      [
        {
          name: 'lines',
          config: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            topics: 't',
            file: '/tmp/x',
            'consumer.override.max.poll.records': '10',
          },
          passwordKeys: [],
        },
      ],
      { project: 'p', pipeline: 'i', runtime, runtimeIsDefault: true },
    );
    expect(parse(result.pipelineFile.text).sinks.lines).toEqual({
      connector: 'connect:org.apache.kafka.connect.file.FileStreamSinkConnector',
      topics: ['t'],
      config: { file: '/tmp/x', 'consumer.override.max.poll.records': '10' },
    });
  });
});
