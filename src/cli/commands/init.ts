import type { Command } from 'commander';
import { formatDiagnostics, hasErrors } from '../../config/diagnostics.js';
import { loadProject } from '../../config/load.js';
import { PipeError } from '../../errors.js';
import { EXAMPLE, EXAMPLES, type ExampleName } from '../../init/examples.js';
import { initProject } from '../../init/init-project.js';
import { action, EXIT } from '../output.js';
import { projectDir } from '../project-dir.js';

function parseExample(value: string): ExampleName {
  const name = EXAMPLES.find((e) => e === value);
  if (name === undefined) {
    throw new PipeError('USAGE', `--example must be ${EXAMPLES.join(', ')}; got "${value}"`);
  }
  return name;
}

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'start a project in the folder (-C or the current one): pipeline.config.yaml, one pipeline, the JSON Schemas, a .gitignore',
    )
    .option('--example <name>', `what the pipeline does: ${EXAMPLES.join(', ')}`, parseExample, 'file')
    .option('--project <name>', 'project name (default: the name of the folder)')
    .option('--force', 'overwrite pipeline.config.yaml and the pipeline file when they exist')
    .action(
      action(async (opts: { example: ExampleName; project?: string; force?: boolean }, command: Command) => {
        const dir = projectDir(command);
        const { written } = await initProject(dir, {
          example: opts.example,
          ...(opts.project === undefined ? {} : { project: opts.project }),
          ...(opts.force ? { force: true } : {}),
        });
        for (const path of written) process.stdout.write(`wrote ${path}\n`);
        const { diagnostics } = await loadProject(dir);
        if (diagnostics.length) process.stderr.write(`${formatDiagnostics(diagnostics)}\n`);
        if (hasErrors(diagnostics)) return EXIT.error;
        const example = EXAMPLE[opts.example];
        process.stdout.write(`\nThe project validates: ${example.summary}. Next:\n`);
        for (const step of example.next) process.stdout.write(`  ${step}\n`);
        return EXIT.ok;
      }),
    );
}
