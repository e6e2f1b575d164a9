import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Every YAML file of a project folder (the project file and pipelines/) with
 * the `$schema` its modeline names and whether that file exists, as an editor
 * would resolve it: relative to the YAML file.
 */
export function modelineTargets(dir: string): Array<{ file: string; schema: string; title: unknown }> {
  const files = ['pipeline.config.yaml', ...readdirSync(join(dir, 'pipelines')).map((f) => `pipelines/${f}`)];
  return files.map((file) => {
    const first = readFileSync(join(dir, file), 'utf8').split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    if (!match) return { file, schema: '(no modeline)', title: undefined };
    const target = resolve(dirname(join(dir, file)), match[1]!);
    let title: unknown;
    try {
      title = JSON.parse(readFileSync(target, 'utf8')).title;
    } catch {
      title = '(missing)';
    }
    return { file, schema: relative(dir, target), title };
  });
}
