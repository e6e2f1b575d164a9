/**
 * Checks that need every pipeline file at once: names unique across the
 * project, topics used by connectors declared somewhere, and runtimes named
 * by connectors declared in pipeline.config.yaml and able to run them.
 */
import type { Diagnostic } from './diagnostics.js';
import { EMBEDDED_RUNTIME } from './model.js';
import type { PipelineRead } from './pipeline-file.js';
import { locate } from './schema-diagnostics.js';
import { didYouMean } from './suggest.js';
import { dottedPath, pointerOf } from './yaml-source.js';

interface Declared {
  read: PipelineRead;
  pointer: string;
}

/** The runtimes of pipeline.config.yaml (environment merged in) and its `runtime:`; absent when that file is invalid. */
export interface RuntimeNames {
  declared: ReadonlySet<string>;
  projectDefault: string;
}

/** Built-in connectors run only in pipe's own worker, except `file`, which maps to Kafka Connect's FileStream connectors. */
function embeddedOnly(connector: string): boolean {
  return connector !== 'file' && !connector.startsWith('connect:');
}

export function crossCheck(reads: readonly PipelineRead[], runtimes?: RuntimeNames): Diagnostic[] {
  const out: Diagnostic[] = [];
  const topics = new Map<string, Declared>();
  // Sources and sinks share one namespace: Kafka Connect names connectors, not their kinds.
  const connectors = new Map<string, Declared>();
  for (const read of reads) {
    const file = read.file;
    if (!file) continue;
    for (const name of Object.keys(file.topics ?? {})) {
      declare(topics, 'topic', name, { read, pointer: pointerOf(['topics', name]) }, out);
    }
    for (const kind of ['sources', 'sinks'] as const) {
      for (const name of Object.keys(file[kind] ?? {})) {
        declare(connectors, 'connector', name, { read, pointer: pointerOf([kind, name]) }, out);
      }
    }
  }
  for (const read of reads) {
    for (const [name, source] of Object.entries(read.file?.sources ?? {})) {
      if (source.topic === undefined) continue;
      undeclared(
        topics,
        source.topic,
        { read, pointer: pointerOf(['sources', name, 'topic']) },
        'writes to',
        out,
      );
    }
    for (const [name, sink] of Object.entries(read.file?.sinks ?? {})) {
      (sink.topics ?? []).forEach((topic, i) => {
        undeclared(
          topics,
          topic,
          { read, pointer: pointerOf(['sinks', name, 'topics', i]) },
          'reads from',
          out,
        );
      });
    }
    if (runtimes) out.push(...runtimeChecks(read, runtimes));
  }
  return out;
}

function runtimeChecks(read: PipelineRead, runtimes: RuntimeNames): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of ['sources', 'sinks'] as const) {
    for (const [name, d] of Object.entries(read.file?.[kind] ?? {})) {
      const runtime = d.runtime ?? runtimes.projectDefault;
      if (d.runtime !== undefined && d.runtime !== EMBEDDED_RUNTIME && !runtimes.declared.has(d.runtime)) {
        const pointer = pointerOf([kind, name, 'runtime']);
        const known = [EMBEDDED_RUNTIME, ...runtimes.declared];
        const hint = didYouMean(d.runtime, known);
        out.push({
          severity: 'error',
          code: 'CONFIG_REFERENCE',
          summary: `no runtime "${d.runtime}": pipeline.config.yaml declares ${known.join(', ')}`,
          source: { file: read.source.file, ...locate(read, pointer, 'value'), pointer: pointer },
          ...(hint ? { suggestion: hint } : {}),
        });
        continue;
      }
      if (runtime !== EMBEDDED_RUNTIME && embeddedOnly(d.connector)) {
        const pointer = pointerOf([kind, name, 'connector']);
        out.push({
          severity: 'error',
          code: 'CONFIG_REFERENCE',
          summary: `${d.connector} is built into pipe and runs only on the embedded runtime, not on Kafka Connect runtime "${runtime}"`,
          source: { file: read.source.file, ...locate(read, pointer, 'value'), pointer: pointer },
          suggestion: `add \`runtime: embedded\` to ${kind}.${name}, or use a Kafka Connect connector class (connect:<class>)`,
        });
      }
    }
  }
  return out;
}

function declare(
  seen: Map<string, Declared>,
  what: 'topic' | 'connector',
  name: string,
  here: Declared,
  out: Diagnostic[],
): void {
  const first = seen.get(name);
  if (!first) {
    seen.set(name, here);
    return;
  }
  const there = locate(first.read, first.pointer, 'key');
  out.push({
    severity: 'error',
    code: 'CONFIG_DUPLICATE',
    summary: `${what} "${name}" is also declared at ${first.read.source.file}:${there.line}:${there.column} (${dottedPath(first.pointer)}); names are unique across the project`,
    source: { file: here.read.source.file, ...locate(here.read, here.pointer, 'key'), pointer: here.pointer },
  });
}

function undeclared(
  topics: Map<string, Declared>,
  topic: string,
  here: Declared,
  verb: string,
  out: Diagnostic[],
): void {
  if (topics.has(topic)) return;
  out.push({
    severity: 'warning',
    code: 'UNDECLARED_TOPIC',
    summary: `${verb} topic "${topic}", which no pipeline declares; it must exist on the cluster, or pipe plan refuses it`,
    source: {
      file: here.read.source.file,
      ...locate(here.read, here.pointer, 'value'),
      pointer: here.pointer,
    },
  });
}
