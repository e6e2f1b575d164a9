/**
 * A Connect connector's `transforms` / `transforms.<name>.*` and
 * `predicates` / `predicates.<name>.*` settings → the YAML's named transform
 * list and the pipeline's `predicates:`. Types pipe does not run are left out
 * with a warning (the connector is one pipe runs itself); names keep their
 * Connect class, which the YAML accepts as it is.
 */

import type { PredicateDeclaration, TransformDeclaration } from '../config/types.gen.js';
import { present } from '../invariant.js';
import { resolvePredicateType, resolveTransformType } from '../transforms/catalog.js';
import type { ImportNote, Settings } from './settings.js';

export interface ImportedTransforms {
  transforms: TransformDeclaration[];
  predicates: Record<string, PredicateDeclaration>;
}

function names(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Every `<prefix><setting>` key, taken, as `{setting: value}`. */
function takeConfig(settings: Settings, prefix: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const key of settings.keys().filter((k) => k.startsWith(prefix)))
    config[key.slice(prefix.length)] = present(settings.take(key), key).value;
  return config;
}

export function importTransforms(settings: Settings, notes: ImportNote[]): ImportedTransforms {
  const out: ImportedTransforms = { transforms: [], predicates: {} };
  const listed = settings.take('transforms');
  const declared = settings.take('predicates');
  for (const name of declared ? names(declared.value) : []) {
    const type = settings.take(`predicates.${name}.type`);
    const config = takeConfig(settings, `predicates.${name}.`);
    if (!type || !resolvePredicateType(type.value.trim())) {
      notes.push(
        settings.note(
          'warning',
          type?.line ?? present(declared, 'predicates').line,
          `predicate ${name}: ${type ? `${type.value} is not a predicate pipe runs` : 'no type'}; left out`,
        ),
      );
      continue;
    }
    out.predicates[name] = {
      type: type.value.trim() as PredicateDeclaration['type'],
      ...(Object.keys(config).length ? { config } : {}),
    };
  }
  for (const name of listed ? names(listed.value) : []) {
    const type = settings.take(`transforms.${name}.type`);
    const predicate = settings.take(`transforms.${name}.predicate`);
    const negate = settings.take(`transforms.${name}.negate`);
    const config = takeConfig(settings, `transforms.${name}.`);
    if (!type || !resolveTransformType(type.value.trim())) {
      notes.push(
        settings.note(
          'warning',
          type?.line ?? present(listed, 'transforms').line,
          `transform ${name}: ${type ? `${type.value} is not a transform pipe runs` : 'no type'}; left out`,
        ),
      );
      continue;
    }
    const declaration: TransformDeclaration = {
      name,
      type: type.value.trim() as TransformDeclaration['type'],
    };
    if (Object.keys(config).length) declaration.config = config;
    if (predicate) {
      if (out.predicates[predicate.value.trim()]) declaration.predicate = predicate.value.trim();
      else
        notes.push(
          settings.note(
            'warning',
            predicate.line,
            `transform ${name}: predicate ${predicate.value} is not declared; the transform applies to every record`,
          ),
        );
    }
    if (negate && declaration.predicate) declaration.negate = negate.value.trim().toLowerCase() === 'true';
    out.transforms.push(declaration);
  }
  for (const key of settings
    .keys()
    .filter((k) => k.startsWith('transforms.') || k.startsWith('predicates.'))) {
    notes.push(
      settings.note(
        'warning',
        present(settings.take(key), key).line,
        `${key} belongs to no listed transform or predicate; ignored`,
      ),
    );
  }
  return out;
}
