/**
 * What the transforms' JSON Schemas cannot say, checked when the pipeline is
 * read so `pipe validate` and `plan` report it at the YAML position: a
 * predicate that is not declared, two transforms of a connector with one
 * name, and settings the transform itself refuses (a regex that does not
 * compile, a cast to a type that does not exist, a rename that is not
 * `old:new`, a date pattern pipe cannot write).
 */
import { PipeError } from '../errors.js';
import { resolveTransformType, transformTypeNames } from '../transforms/catalog.js';
import { createPredicate, createTransform } from '../transforms/registry.js';
import type { Diagnostic } from './diagnostics.js';
import type { PipelineRead } from './pipeline-file.js';
import { locate } from './schema-diagnostics.js';
import { didYouMean } from './suggest.js';
import type { PipelineFile } from './types.gen.js';
import { pointerOf } from './yaml-source.js';

export function transformDiagnostics(read: PipelineRead, file: PipelineFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (pointer: string, prefer: 'key' | 'value', message: string, extra: Partial<Diagnostic> = {}) =>
    out.push({
      severity: 'error' as const,
      code: 'TRANSFORM_CONFIG',
      summary: message,
      source: { file: read.source.file, ...locate(read, pointer, prefer), pointer },
      ...extra,
    });
  const predicates = file.predicates ?? {};
  for (const [name, predicate] of Object.entries(predicates)) {
    const base = ['predicates', name];
    try {
      createPredicate(name, predicate.type, (predicate.config ?? {}) as Record<string, unknown>);
    } catch (err) {
      at(...configPlace(base, err), message(err));
    }
  }
  for (const kind of ['sources', 'sinks'] as const) {
    for (const [connector, declaration] of Object.entries(file[kind] ?? {})) {
      const seen = new Set<string>();
      const transforms = (
        declaration as { transforms?: NonNullable<PipelineFile['sources']>[string]['transforms'] }
      ).transforms;
      (transforms ?? []).forEach((t, i) => {
        const base = [kind, connector, 'transforms', i];
        if (seen.has(t.name))
          at(
            pointerOf([...base, 'name']),
            'value',
            `transform name "${t.name}" is used twice in ${connector}`,
          );
        seen.add(t.name);
        if (t.predicate !== undefined && !Object.hasOwn(predicates, t.predicate)) {
          const hint = didYouMean(t.predicate, Object.keys(predicates));
          at(
            pointerOf([...base, 'predicate']),
            'value',
            `predicate "${t.predicate}" is not declared under predicates: in this file`,
            hint ? { suggestion: hint } : {},
          );
        }
        if (t.negate !== undefined && t.predicate === undefined)
          at(pointerOf([...base, 'negate']), 'key', 'negate needs a predicate');
        if (!resolveTransformType(t.type)) {
          // Another class runs on Kafka Connect as it is; pipe's own worker cannot run it.
          if (!String(declaration.connector).startsWith('connect:')) {
            const hint = didYouMean(
              t.type.slice(t.type.lastIndexOf('.') + 1),
              transformTypeNames().filter((n) => !n.includes('.')),
            );
            at(
              pointerOf([...base, 'type']),
              'value',
              `transform class ${t.type} is not one pipe's embedded worker runs (docs/TRANSFORMS.md); only a connect:<class> connector may use it`,
              { code: 'UNKNOWN_TRANSFORM', ...(hint ? { suggestion: hint } : {}) },
            );
          }
          return;
        }
        try {
          createTransform(t.name, t.type, (t.config ?? {}) as Record<string, unknown>);
        } catch (err) {
          at(...configPlace(base, err), message(err));
        }
      });
    }
  }
  return out;
}

/** The setting the error names (`config.regex`), else the transform's config block. */
function configPlace(base: Array<string | number>, err: unknown): [string, 'key' | 'value'] {
  const field = err instanceof PipeError ? err.meta.field : undefined;
  if (typeof field === 'string' && field.startsWith('config.'))
    return [pointerOf([...base, 'config', field.slice('config.'.length)]), 'value'];
  return [pointerOf([...base, 'config']), 'key'];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
