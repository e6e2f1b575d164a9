/**
 * `errors.tolerance`: with `none` the first bad record fails the task; with
 * `all` it is skipped, counted and, for sinks with a `deadLetterTopic`,
 * written there unchanged with Kafka Connect's context headers
 * (`__connect.errors.*`), so tools built for Connect's dead letter queues
 * read pipe's as well.
 */
import type { ErrorPolicy } from '../config/model.js';
import { messageOf, PipeError, traceOf } from '../errors.js';

/** Connect's stage names, as they appear in `__connect.errors.stage`. */
export type Stage =
  | 'KEY_CONVERTER'
  | 'VALUE_CONVERTER'
  | 'HEADER_CONVERTER'
  | 'TRANSFORMATION'
  | 'TASK_PUT'
  | 'KAFKA_PRODUCE';

export interface OriginalRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | undefined>;
}

export interface DeadLetter {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

export class ErrorHandler {
  /** Records that failed, tolerated or not. */
  errors = 0;
  /** Records tolerated: skipped. */
  failed = 0;
  lastError: string | undefined;
  private readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly policy: ErrorPolicy,
    private readonly connector: string,
    private readonly task: number,
  ) {}

  /**
   * Called with a record that could not be processed: throws when the policy
   * tolerates nothing, else counts it and keeps it for the dead letter topic.
   */
  tolerate(stage: Stage, err: unknown, original?: OriginalRecord): void {
    this.errors++;
    const message = `${stage.toLowerCase().replace('_', ' ')} failed${original ? ` at ${original.topic}-${original.partition}@${original.offset}` : ''}: ${messageOf(err)}`;
    if (this.policy.tolerance === 'none') {
      throw new PipeError('CONNECTOR_FAILED', message, {
        cause: err,
        meta: { hint: 'set errors.tolerance: all to skip such records (and deadLetterTopic to keep them)' },
      });
    }
    this.failed++;
    this.lastError = message;
    if (original && this.policy.deadLetterTopic) {
      this.deadLetters.push(this.deadLetter(this.policy.deadLetterTopic, stage, err, original));
    }
  }

  /** Dead letters gathered since the last call: the sink writes them before committing past them. */
  takeDeadLetters(): DeadLetter[] {
    return this.deadLetters.splice(0);
  }

  private deadLetter(topic: string, stage: Stage, err: unknown, original: OriginalRecord): DeadLetter {
    const headers: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(original.headers)) if (v !== undefined) headers[k] = v;
    const context: Record<string, string> = {
      '__connect.errors.topic': original.topic,
      '__connect.errors.partition': String(original.partition),
      '__connect.errors.offset': original.offset,
      '__connect.errors.connector.name': this.connector,
      '__connect.errors.task.id': String(this.task),
      '__connect.errors.stage': stage,
      '__connect.errors.exception.class.name':
        err instanceof PipeError ? `pipe.${err.code}` : err instanceof Error ? err.name : 'Error',
      '__connect.errors.exception.message': messageOf(err),
    };
    // Connect names the class that failed: for a transform, its class (the message names the transform).
    const transformClass = err instanceof PipeError ? err.meta['transformClass'] : undefined;
    if (typeof transformClass === 'string') context['__connect.errors.class.name'] = transformClass;
    if (err instanceof Error && err.stack) context['__connect.errors.exception.stacktrace'] = traceOf(err);
    for (const [k, v] of Object.entries(context)) headers[k] = Buffer.from(v, 'utf8');
    return { topic, key: original.key, value: original.value, headers };
  }
}
