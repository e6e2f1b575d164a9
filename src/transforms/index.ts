/** Kafka Connect's Single Message Transforms and predicates on pipe's Connect data model. */
export { resolvePredicateType, resolveTransformType } from './catalog.js';
export { buildTransformChain, type TransformChain } from './chain.js';
export { connectTransformProperties } from './connect-properties.js';
export type { TransformHeader, TransformRecord } from './record.js';
export { createPredicate, createTransform } from './registry.js';
