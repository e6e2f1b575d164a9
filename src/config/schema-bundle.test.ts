import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { bundleSchema } from './schema-bundle.js';
import { PIPELINE_SCHEMA, PROJECT_SCHEMA, schemaFiles } from './schemas.js';

/** A validator that knows nothing of pipe's schema files: only the bundle. */
function standalone(id: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(bundleSchema(id, schemaFiles()));
}

describe('the bundled schema', () => {
  it('needs no other file and accepts a valid pipeline', () => {
    const validate = standalone(PIPELINE_SCHEMA);
    const ok = validate({
      topics: { t: { partitions: 3 } },
      sources: { s: { connector: 'file', topic: 't', config: { file: 'x' } } },
      sinks: { k: { connector: 'connect:com.example.Sink', topics: ['t'], config: { 'a.b': 1 } } },
    });
    expect(validate.errors).toBeNull();
    expect(ok).toBe(true);
  });

  it('still checks connector configs by their type', () => {
    const validate = standalone(PIPELINE_SCHEMA);
    expect(validate({ sources: { s: { connector: 'file', topic: 't', config: { batchSize: 0 } } } })).toBe(
      false,
    );
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/sources/s/config', '/sources/s/config/batchSize']),
    );
  });

  it('bundles the project schema with the converter definition it borrows', () => {
    const validate = standalone(PROJECT_SCHEMA);
    expect(
      validate({ project: 'p', kafka: { brokers: 'b:9092' }, defaults: { value: { converter: 'string' } } }),
    ).toBe(true);
    expect(
      validate({ project: 'p', kafka: { brokers: 'b:9092' }, defaults: { value: { converter: 'avro' } } }),
    ).toBe(false);
  });
});
