/**
 * The package's JSON Schemas copied into a project's schemas/ folder, so the
 * `$schema` modelines of the files pipe writes resolve in any editor whether
 * or not the package is installed beside the project.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { schemaFiles } from '../config/schemas.js';

export const PROJECT_SCHEMA_DIR = 'schemas';

/** The modeline of a file `depth` folders below the project folder, for a schema in schemas/. */
export function schemaModeline(schema: string, depth: number): string {
  return `# yaml-language-server: $schema=${depth === 0 ? './' : '../'.repeat(depth)}${PROJECT_SCHEMA_DIR}/${schema}`;
}

/** Writes every schema file (as in the package, referencing each other) under `dir`; returns their paths. */
export async function writeSchemaFiles(dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of schemaFiles()) {
    const path = join(dir, file.id);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(file.schema, null, 2)}\n`);
    written.push(path);
  }
  return written;
}
