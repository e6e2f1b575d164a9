/**
 * Where a connector's field is in its pipeline file, for errors that Kafka
 * Connect (or the mapping to it) finds in one key.
 */
import type { ConnectorSpec } from '../config/model.js';
import { pointerOf } from '../config/yaml-source.js';
import type { SourceRange } from '../diagnostics.js';

/** Where a field of a connector is: `config.database.port` → its key's line in the pipeline file. */
export function fieldSource(spec: ConnectorSpec, field: string): SourceRange {
  const at = spec.origin.keys?.[field] ?? spec.origin;
  const segments = field.startsWith('config.') ? ['config', field.slice('config.'.length)] : field.split('.');
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    pointer: pointerOf([`${spec.kind}s`, spec.name, ...segments]),
  };
}
