/** RegexRouter and TimestampRouter: change the topic a record goes to. */
import type { TransformConfig } from './config.js';
import { dataError } from './data.js';
import { compileDateFormat } from './date-format.js';
import { compileJavaPattern, expandReplacement } from './java-regex.js';
import type { Transformation } from './record.js';

export function regexRouter(config: TransformConfig): Transformation {
  const regexText = config.requiredString('regex');
  const replacement = config.requiredString('replacement');
  let pattern: ReturnType<typeof compileJavaPattern>;
  try {
    pattern = compileJavaPattern(regexText);
  } catch (err) {
    throw config.error('regex', `is not a valid regular expression: ${(err as Error).message}`);
  }
  return {
    apply(record) {
      const match = pattern.whole.exec(record.topic);
      if (!match) return record;
      let topic: string;
      try {
        topic = expandReplacement(replacement, match);
      } catch (err) {
        throw dataError(`RegexRouter replacement ${JSON.stringify(replacement)}: ${(err as Error).message}`);
      }
      return { ...record, topic };
    },
  };
}

export function timestampRouter(config: TransformConfig): Transformation {
  const topicFormat = config.string('topic.format', '${topic}-${timestamp}');
  let format: ReturnType<typeof compileDateFormat>;
  try {
    format = compileDateFormat(config.string('timestamp.format', 'yyyyMMdd'));
  } catch (err) {
    throw config.error('timestamp.format', `is not a date pattern pipe can write: ${(err as Error).message}`);
  }
  return {
    apply(record) {
      if (record.timestamp === undefined)
        throw dataError(`Timestamp missing on record for topic ${record.topic}`);
      const stamp = format(new Date(record.timestamp));
      const topic = topicFormat.split('${topic}').join(record.topic).split('${timestamp}').join(stamp);
      return { ...record, topic };
    },
  };
}
