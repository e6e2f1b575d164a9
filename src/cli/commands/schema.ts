import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bundleSchema } from '../../config/schema-bundle.js';
import { PIPELINE_SCHEMA, PROJECT_SCHEMA, schemaFiles } from '../../config/schemas.js';
import { PipeError } from '../../errors.js';
import { writeSchemaFiles } from '../../init/schema-files.js';
import { action } from '../output.js';

const KINDS: Record<string, string> = { pipeline: PIPELINE_SCHEMA, project: PROJECT_SCHEMA };

export function register(program: Command): void {
  program
    .command('schema')
    .description(
      'print the JSON Schema of a kind of file (self-contained), or write every schema file to a folder',
    )
    .argument(
      '[kind]',
      `${Object.keys(KINDS).join(' or ')} (pipelines/*.yaml or pipeline.config.yaml)`,
      'pipeline',
    )
    .option(
      '--out <dir>',
      'write the schema files (as in the package, referencing each other) into this folder',
    )
    .action(
      action(async (kind: string, opts: { out?: string }) => {
        const files = schemaFiles();
        if (opts.out !== undefined) {
          for (const path of await writeSchemaFiles(resolve(opts.out))) process.stdout.write(`${path}\n`);
          return 0;
        }
        const id = KINDS[kind];
        if (!id) throw new PipeError('USAGE', `no schema "${kind}": use ${Object.keys(KINDS).join(' or ')}`);
        process.stdout.write(`${JSON.stringify(bundleSchema(id, files), null, 2)}\n`);
        return 0;
      }),
    );
}
