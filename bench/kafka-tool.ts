/**
 * Kafka's own command-line tools (org.apache.kafka.tools.*) from the same jars
 * as the local broker, each with its log in a temporary directory: the tool
 * prints its figures there, and a failure quotes the log's last lines.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipeError } from '../src/errors.js';
import { resolveJars } from '../src/kafka/local/jars.js';
import { type JavaProcess, runJava } from '../src/kafka/local/java.js';
import { writeLogConfig } from '../src/kafka/local/logging.js';

export interface KafkaToolOptions<T> {
  /** The class in org.apache.kafka.tools, e.g. `ProducerPerformance`. */
  tool: string;
  /** Names the temporary directory (`pipe-<logName>-…`) and the log in it. */
  logName: string;
  /** The Kafka version whose jars run the tool. */
  version: string;
  args: string[];
  /** The JVM's -Xmx; 512m unless said. */
  heap?: string;
  /** The tool's figures from its output; undefined when it printed none. */
  parse: (output: string) => T | undefined;
}

export interface KafkaToolRun<T> {
  java: JavaProcess;
  logFile: string;
  /** Resolves with the summary once the tool exits; rejects when it fails or prints none. */
  result: Promise<T>;
  /** Stops the tool; its directory is removed unless it failed (the error names its log). */
  stop(): Promise<void>;
}

/** Starts a tool; `result` settles when it exits. */
export async function startKafkaTool<T>(options: KafkaToolOptions<T>): Promise<KafkaToolRun<T>> {
  const jars = await resolveJars(options.version, 'connect');
  const dir = await mkdtemp(join(tmpdir(), `pipe-${options.logName}-`));
  const logFile = join(dir, `${options.logName}.log`);
  let java: JavaProcess;
  try {
    const logArgs = await writeLogConfig(dir, { root: 'warn', stream: 'stderr' });
    java = runJava({
      classpath: jars.classpath,
      mainClass: `org.apache.kafka.tools.${options.tool}`,
      args: options.args,
      jvmArgs: [`-Xmx${options.heap ?? '512m'}`, '-XX:+UseG1GC', ...logArgs],
      logFile,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const result = java.exited.then(async (code) => {
    const output = await readFile(logFile, 'utf8').catch(() => '');
    const summary = options.parse(output);
    if (code !== 0 || summary === undefined) {
      throw new PipeError(
        'KAFKA_LAUNCH',
        `${options.tool} ${code !== 0 ? `exited with ${code}` : 'printed no summary'}:\n${output.trim().split('\n').slice(-15).join('\n')}`,
        { meta: { file: logFile } },
      );
    }
    return summary;
  });
  const cleanup = result.then(
    () => rm(dir, { recursive: true, force: true }),
    () => undefined,
  );
  return {
    java,
    logFile,
    result,
    async stop() {
      await java.stop();
      await cleanup;
    },
  };
}

/** Runs a tool to its end and returns its summary. */
export async function runKafkaTool<T>(options: KafkaToolOptions<T>): Promise<T> {
  const run = await startKafkaTool(options);
  try {
    return await run.result;
  } finally {
    await run.stop();
  }
}
