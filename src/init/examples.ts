/**
 * The starting points `pipe init --example` writes: a project file and one
 * pipeline that `pipe validate` accepts as written, each runnable against
 * `pipe dev kafka` (and, for postgres, a local PostgreSQL).
 */

export const EXAMPLES = ['file', 'datagen', 'postgres'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export interface Example {
  /** What `pipe init` says it wrote. */
  summary: string;
  /** The pipeline file under pipelines/, without the schema modeline. */
  pipeline: string;
  /** Files the example reads, relative to the project folder, with their first contents. */
  data: Record<string, string>;
  /** What to do next, one step a line. */
  next: string[];
}

export function projectFile(project: string): string {
  return `version: 1
project: ${project}
kafka:
  # pipe dev kafka prints the address of a local broker; export it as KAFKA_BROKERS.
  brokers: \${env:KAFKA_BROKERS:-127.0.0.1:9092}
defaults:
  key: { converter: json, schemas: true }
  value: { converter: json, schemas: true }
`;
}

const RUN = [
  'pipe dev kafka            # in another terminal: a local broker; export KAFKA_BROKERS=<the address it prints>',
  'pipe plan                 # what apply would create',
  'pipe up                   # apply, run the pipeline, re-apply on every edit (Ctrl-C stops)',
];

export const EXAMPLE: Record<ExampleName, Example> = {
  file: {
    summary: 'lines appended to data/input.txt go to topic lines and on to data/output.txt',
    pipeline: `pipeline: file
topics:
  lines:
    partitions: 1
    replicationFactor: 1
sources:
  input-file:
    connector: file
    topic: lines
    config: { file: data/input.txt }
sinks:
  output-file:
    connector: file
    topics: [lines]
    config: { file: data/output.txt }
`,
    data: { 'data/input.txt': '' },
    next: [...RUN, 'echo hello >> data/input.txt && cat data/output.txt'],
  },
  datagen: {
    summary: 'generated records (10 a second, 1,000 in all) go to topic generated and are printed',
    pipeline: `pipeline: datagen
topics:
  generated:
    partitions: 3
    replicationFactor: 1
sources:
  generator:
    connector: datagen
    topic: generated
    config: { count: 1000, rate: 10, keys: 10 }
sinks:
  printer:
    connector: console
    topics: [generated]
`,
    data: {},
    next: RUN,
  },
  postgres: {
    summary: 'generated records go to topic orders and become rows of table orders in PostgreSQL',
    pipeline: `pipeline: postgres
topics:
  orders:
    partitions: 3
    replicationFactor: 1
sources:
  order-generator:
    connector: datagen
    topic: orders
    config: { count: 1000, rate: 10 }
sinks:
  orders-table:
    connector: postgres
    topics: [orders]
    config:
      connection:
        url: \${env:PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
        password: \${env:PGPASSWORD:-}
      table: orders
      auto.create: true
      insert.mode: upsert
      pk.mode: record_value
      pk.fields: [seq]
`,
    data: {},
    next: [
      'export PG_URL=postgres://USER@HOST:5432/DATABASE PGPASSWORD=...   # your PostgreSQL (default: postgres@127.0.0.1:5432/postgres)',
      ...RUN,
    ],
  },
};
