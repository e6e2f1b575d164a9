/** Builds a transform or predicate from its type name and settings. */
import { PipeError } from '../errors.js';
import { cast } from './cast.js';
import { resolvePredicateType, resolveTransformType } from './catalog.js';
import { TransformConfig } from './config.js';
import { extractField } from './extract-field.js';
import { filter } from './filter.js';
import { flatten } from './flatten.js';
import { dropHeaders, headerFrom, insertHeader } from './headers.js';
import { hoistField } from './hoist-field.js';
import { insertField } from './insert-field.js';
import { maskField } from './mask-field.js';
import { hasHeaderKey, recordIsTombstone, topicNameMatches } from './predicates.js';
import { KEY, type Predicate, type Side, type Transformation, VALUE } from './record.js';
import { replaceField } from './replace-field.js';
import { regexRouter, timestampRouter } from './routers.js';
import { setSchemaMetadata } from './set-schema-metadata.js';
import { timestampConverter } from './timestamp-converter.js';
import { unwrap } from './unwrap.js';
import { valueToKey } from './value-to-key.js';

type Factory = (side: Side, config: TransformConfig) => Transformation;

const TRANSFORMS: Record<string, Factory> = {
  Cast: cast,
  DropHeaders: (_s, c) => dropHeaders(c),
  ExtractField: extractField,
  Filter: () => filter(),
  Flatten: flatten,
  HeaderFrom: headerFrom,
  HoistField: hoistField,
  InsertField: insertField,
  InsertHeader: (_s, c) => insertHeader(c),
  MaskField: maskField,
  RegexRouter: (_s, c) => regexRouter(c),
  ReplaceField: replaceField,
  SetSchemaMetadata: setSchemaMetadata,
  TimestampConverter: timestampConverter,
  TimestampRouter: (_s, c) => timestampRouter(c),
  ValueToKey: (_s, c) => valueToKey(c),
  unwrap: (_s, c) => unwrap(c),
};

const PREDICATES: Record<string, (config: TransformConfig) => Predicate> = {
  HasHeaderKey: hasHeaderKey,
  RecordIsTombstone: () => recordIsTombstone(),
  TopicNameMatches: topicNameMatches,
};

/** The base names implemented here, for the test that keeps them and the catalog in step. */
export const IMPLEMENTED = { transforms: Object.keys(TRANSFORMS), predicates: Object.keys(PREDICATES) };

export function createTransform(name: string, type: string, config: Record<string, unknown>): Transformation {
  const resolved = resolveTransformType(type);
  const factory = resolved && TRANSFORMS[resolved.base];
  if (!resolved || !factory)
    throw new PipeError('TRANSFORM_CONFIG', `transform "${name}": unknown type "${type}"`, {
      meta: { field: 'type' },
    });
  return factory(
    resolved.variant === 'Key' ? KEY : VALUE,
    new TransformConfig(config, `transform "${name}" (${type})`),
  );
}

export function createPredicate(name: string, type: string, config: Record<string, unknown>): Predicate {
  const resolved = resolvePredicateType(type);
  const factory = resolved && PREDICATES[resolved.base];
  if (!resolved || !factory)
    throw new PipeError('TRANSFORM_CONFIG', `predicate "${name}": unknown type "${type}"`, {
      meta: { field: 'type' },
    });
  return factory(new TransformConfig(config, `predicate "${name}" (${type})`));
}
