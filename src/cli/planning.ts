/**
 * What plan, apply, destroy and up share: loading the project for planning
 * and the repeatable `--target` flag.
 */
import type { Command } from 'commander';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadDesiredState } from '../config/load.js';
import type { DesiredState } from '../config/model.js';
import { projectDir } from './project-dir.js';

/** Loads the project for plan, apply and destroy; warnings go to stderr so stdout stays the plan. */
export async function loadForPlanning(
  command: Command,
  environment: string | undefined,
): Promise<DesiredState> {
  const { desired, warnings } = await loadDesiredState(
    projectDir(command),
    environment === undefined ? {} : { environment },
  );
  if (warnings.length > 0) process.stderr.write(`${formatDiagnostics(warnings)}\n`);
  return desired;
}

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
