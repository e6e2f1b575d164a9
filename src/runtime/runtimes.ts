/**
 * The runtimes of one project, opened once per command: the embedded one
 * (always) and a ConnectRuntime for each runtime pipeline.config.yaml
 * declares. Each connector is read and changed through the runtime it names.
 */
import { resolve } from 'node:path';
import { type ConnectorSpec, EMBEDDED_RUNTIME, type ProjectSpec } from '../config/model.js';
import { PipeError } from '../errors.js';
import type { Admin, Kafka, Producer } from '../kafka/client.js';
import { stateTopicNames } from '../state/records.js';
import { ConnectRuntime } from './connect/runtime.js';
import { EmbeddedRuntime } from './embedded.js';
import type { Runtime } from './runtime.js';

export class Runtimes {
  readonly #byName: Map<string, Runtime>;

  constructor(runtimes: Runtime[]) {
    this.#byName = new Map(runtimes.map((r) => [r.name, r]));
  }

  /** The runtime a connector runs on; one that no longer exists is an error naming it. */
  of(spec: Pick<ConnectorSpec, 'runtime' | 'name'>): Runtime {
    const name = spec.runtime ?? EMBEDDED_RUNTIME;
    const runtime = this.#byName.get(name);
    if (!runtime) {
      throw new PipeError(
        'CONFIG_REFERENCE',
        `connector ${spec.name} was applied to runtime "${name}", which pipeline.config.yaml no longer declares`,
        {
          meta: {
            hint: `declare runtime "${name}" again (under runtimes) to change or delete the connector`,
          },
        },
      );
    }
    return runtime;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  get(name: string): Runtime | undefined {
    return this.#byName.get(name);
  }

  all(): Runtime[] {
    return [...this.#byName.values()];
  }
}

export interface OpenRuntimesOptions {
  project: ProjectSpec;
  kafka: Kafka;
  admin: Admin;
  producer: () => Promise<Producer>;
  now?: () => Date;
}

export function openRuntimes(options: OpenRuntimesOptions): Runtimes {
  const { project } = options;
  const embedded = new EmbeddedRuntime({
    kafka: options.kafka,
    admin: options.admin,
    producer: options.producer,
    topics: stateTopicNames(project.state.topicPrefix),
    ...(project.worker.offsetStorage === 'file'
      ? { offsetFile: resolve(project.dir, project.worker.offsetFile) }
      : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const connect = Object.values(project.runtimes ?? {}).map(
    (spec) => new ConnectRuntime({ spec, projectDir: project.dir }),
  );
  return new Runtimes([embedded, ...connect]);
}
