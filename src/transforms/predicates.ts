/** The predicates: TopicNameMatches, HasHeaderKey and RecordIsTombstone. */
import type { TransformConfig } from './config.js';
import { compileJavaPattern } from './java-regex.js';
import type { Predicate } from './record.js';

export function topicNameMatches(config: TransformConfig): Predicate {
  const source = config.requiredString('pattern');
  let pattern: ReturnType<typeof compileJavaPattern>;
  try {
    pattern = compileJavaPattern(source);
  } catch (err) {
    throw config.error('pattern', `must be a valid regular expression: ${(err as Error).message}`);
  }
  return { test: (record) => pattern.whole.test(record.topic) };
}

export function hasHeaderKey(config: TransformConfig): Predicate {
  const name = config.requiredString('name');
  return { test: (record) => (record.headers ?? []).some((h) => h.key === name) };
}

export function recordIsTombstone(): Predicate {
  return { test: (record) => record.value === null || record.value === undefined };
}
