/**
 * The topics connectors use, checked against the plan: a plan must not delete
 * a topic a connector still uses, and a connector must not name a topic that
 * nobody declares and the cluster does not have (its task would only fail
 * once running). A topic that is not declared but exists on the cluster is
 * fine, and said to be unmanaged.
 */
import { connectorAddress, topicAddress } from '../config/model.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Change } from './model.js';

/** What the check needs to know of a connector, desired or recorded. */
export interface ConnectorTopics {
  kind: 'source' | 'sink';
  name: string;
  /** Sources: the topic written to. */
  topic?: string;
  /** Sinks: the topics read. */
  topics?: string[];
  errors?: { deadLetterTopic?: string };
}

export interface TopicUseInput {
  /** The connectors that exist once the plan is applied, with the project each belongs to. */
  connectors: readonly { connector: ConnectorTopics; project: string }[];
  /** Topics the project declares. */
  declared: ReadonlySet<string>;
  /** Topics on the cluster, among those the plan read. */
  existing: ReadonlySet<string>;
  /** The plan's changes. */
  changes: readonly Change[];
  project: string;
}

/** The topics a connector names: the one a source writes, those a sink reads, its dead letter topic. */
export function topicsOf(c: ConnectorTopics): string[] {
  const named = [c.topic, ...(c.topics ?? []), c.errors?.deadLetterTopic];
  return [...new Set(named.filter((t): t is string => t !== undefined))];
}

export function topicUseDiagnostics(input: TopicUseInput): Diagnostic[] {
  const users = new Map<string, { own: string[]; all: string[] }>();
  for (const { connector, project } of input.connectors) {
    const address = connectorAddress(connector);
    const own = project === input.project;
    for (const topic of topicsOf(connector)) {
      const entry = users.get(topic) ?? { own: [], all: [] };
      entry.all.push(own ? address : `${address} (project "${project}")`);
      if (own) entry.own.push(address);
      users.set(topic, entry);
    }
  }
  const deleted = new Set(
    input.changes.filter((c) => c.resource === 'topic' && c.action === 'delete').map((c) => c.name),
  );
  const out: Diagnostic[] = [];
  for (const [topic, { own, all }] of users) {
    const address = topicAddress(topic);
    if (deleted.has(topic)) {
      out.push({
        severity: 'error',
        code: 'TOPIC_IN_USE',
        address,
        summary: `${address} would be deleted, but ${using(all)} it`,
        suggestion: `keep declaring topic ${topic} while connectors use it, or remove ${all.length === 1 ? 'that connector' : 'those connectors'} in the same change`,
      });
      continue;
    }
    // Whether another project's topics exist is that project's plan's business.
    if (input.declared.has(topic) || own.length === 0) continue;
    if (input.existing.has(topic)) {
      out.push({
        severity: 'warning',
        code: 'UNMANAGED_TOPIC',
        address,
        summary: `${using(own)} topic ${topic}, which no pipeline declares: it exists on the cluster, and pipe leaves it unmanaged`,
      });
    } else {
      out.push({
        severity: 'error',
        code: 'UNKNOWN_TOPIC',
        address,
        summary: `${using(own)} topic ${topic}, which no pipeline declares and the cluster does not have`,
        suggestion: `declare topic ${topic} under topics: in a pipeline file, or create it on the cluster`,
      });
    }
  }
  return out;
}

/** `source.a uses`, `connectors source.a and sink.b use`. */
function using(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} uses`;
  return `connectors ${names.slice(0, -1).join(', ')} and ${names.at(-1)} use`;
}
