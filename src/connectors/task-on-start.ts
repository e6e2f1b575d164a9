/**
 * Tasks whose module is loaded when the task starts. A connector that needs a
 * library of its own (`pg` for PostgreSQL) is then free for every worker that
 * does not run it: the registry imports only the connector's description,
 * and the task's code arrives with its first start.
 */
import { present } from '../invariant.js';
import type { SinkTask, SourceTask, TaskConfig } from './api.js';

export function sourceTaskOnStart<Config extends TaskConfig>(
  load: () => Promise<SourceTask<Config>>,
): SourceTask<Config> {
  let task: SourceTask<Config> | undefined;
  return {
    async start(config, context) {
      task = await load();
      await task.start(config, context);
    },
    poll: () => present(task, 'a started task').poll(),
    stop: async () => {
      await task?.stop();
    },
  };
}

export function sinkTaskOnStart<Config extends TaskConfig>(
  load: () => Promise<SinkTask<Config>>,
): SinkTask<Config> {
  let task: SinkTask<Config> | undefined;
  return {
    async start(config, context) {
      task = await load();
      await task.start(config, context);
    },
    put: (records) => present(task, 'a started task').put(records),
    flush: () => present(task, 'a started task').flush(),
    stop: async () => {
      await task?.stop();
    },
  };
}
