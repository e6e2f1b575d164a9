/**
 * Logging for the JVMs pipe starts. Kafka 4 logs through log4j2, Kafka 3
 * through reload4j (log4j 1), so both files are written and both system
 * properties passed: each JVM reads the one its binding knows.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogSettings {
  root: LogLevel;
  /** Logger name → level, e.g. `{ 'org.apache.kafka.clients': 'warn' }`. */
  loggers?: Record<string, LogLevel>;
  /** Where the console appender writes; both go to the launcher's log file. */
  stream?: 'stdout' | 'stderr';
}

const PATTERN = '[%d] %p %m (%c)%n';

function log4j2(settings: LogSettings): string {
  const lines = [
    'status = error',
    'appender.out.type = Console',
    'appender.out.name = out',
    `appender.out.target = ${settings.stream === 'stderr' ? 'SYSTEM_ERR' : 'SYSTEM_OUT'}`,
    'appender.out.layout.type = PatternLayout',
    `appender.out.layout.pattern = ${PATTERN}`,
    `rootLogger.level = ${settings.root}`,
    'rootLogger.appenderRef.out.ref = out',
  ];
  Object.entries(settings.loggers ?? {}).forEach(([name, level], i) => {
    lines.push(`logger.l${i}.name = ${name}`, `logger.l${i}.level = ${level}`);
  });
  return `${lines.join('\n')}\n`;
}

function log4j1(settings: LogSettings): string {
  const lines = [
    `log4j.rootLogger=${settings.root.toUpperCase()}, out`,
    'log4j.appender.out=org.apache.log4j.ConsoleAppender',
    `log4j.appender.out.Target=${settings.stream === 'stderr' ? 'System.err' : 'System.out'}`,
    'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
    `log4j.appender.out.layout.ConversionPattern=${PATTERN}`,
    ...Object.entries(settings.loggers ?? {}).map(
      ([name, level]) => `log4j.logger.${name}=${level.toUpperCase()}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes the logging configuration into `dir` and returns the JVM arguments that select it. */
export async function writeLogConfig(dir: string, settings: LogSettings): Promise<string[]> {
  const v2 = join(dir, 'log4j2.properties');
  const v1 = join(dir, 'log4j.properties');
  await writeFile(v2, log4j2(settings));
  await writeFile(v1, log4j1(settings));
  return [`-Dlog4j2.configurationFile=${v2}`, `-Dlog4j.configuration=file:${v1}`];
}
