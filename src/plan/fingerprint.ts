/**
 * Stable hashes of the two inputs of a plan. A saved plan carries both; apply
 * re-reads the cluster and the project and refuses the plan when either hash
 * moved, which is what makes "apply exactly that plan" hold without writing
 * secrets into the plan file.
 */
import { createHash } from 'node:crypto';
import type { DesiredState } from '../config/model.js';
import { sealSpec } from '../state/secrets.js';
import type { ActualState } from './model.js';

/** JSON with object keys sorted at every level, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * What the plan depends on: topics as Kafka holds them, the project's records.
 * Runtime status, the time a record was written and whether the (empty) state
 * topics exist yet are left out: a worker reporting RUNNING, or the first
 * apply creating the state topics, does not make a plan stale.
 */
export function fingerprintActual(actual: ActualState): string {
  return sha256(
    canonicalJson({
      topics: actual.topics,
      managedTopics: actual.managedTopics,
      connectors: Object.fromEntries(
        Object.entries(actual.connectors).map(([name, c]) => [
          name,
          { project: c.record.project, spec: c.record.spec, targetState: c.targetState ?? null },
        ]),
      ),
    }),
  );
}

/**
 * The project's resources without where they were declared or where the
 * project was checked out: CI may plan and apply from different folders.
 * Connectors are hashed sealed, with their `${env:…}`/`${file:…}` references
 * in place of the values: the fingerprint is in the plan file, and a hash of
 * a secret lets anyone holding the file test guesses offline. What apply
 * writes is the sealed form too, so a secret's value is not part of what the
 * plan promises.
 */
export function fingerprintDesired(desired: DesiredState): string {
  return sha256(
    canonicalJson({
      project: desired.project.name,
      statePrefix: desired.project.state.topicPrefix,
      topics: desired.topics.map(({ origin: _origin, ...t }) => t),
      connectors: desired.connectors.map(({ origin: _origin, ...c }) => sealSpec(c)),
    }),
  );
}
