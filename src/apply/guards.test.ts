import { describe, expect, it } from 'vitest';
import {
  actual,
  actualTopic,
  desired,
  fileDemo,
  fileDemoApplied,
  managed,
  recorded,
  source,
  topic,
} from '../../test/fixtures/plan/build.js';
import { plan } from '../plan/diff.js';
import { refusals } from './guards.js';

const flags = (p: ReturnType<typeof plan>, allow = {}) => refusals(p, allow).map((r) => [r.address, r.flag]);

describe('refusals', () => {
  const replaceTopic = plan(
    desired({ topics: [topic('t', { replicationFactor: 3 })] }),
    actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
  );
  const deleteTopic = plan(
    desired(),
    actual({ topics: { t: actualTopic('t') }, managedTopics: { t: managed() } }),
  );
  const deleteConnector = plan(desired(), actual({ connectors: { s: recorded(source('s')) } }));

  it('a replace needs --allow-replace', () => {
    expect(flags(replaceTopic)).toEqual([['topic.t', '--allow-replace']]);
    expect(flags(replaceTopic, { allowReplace: true })).toEqual([]);
  });

  it('deleting a topic needs --allow-delete; deleting a connector does not', () => {
    expect(flags(deleteTopic)).toEqual([['topic.t', '--allow-delete']]);
    expect(flags(deleteTopic, { allowDelete: true })).toEqual([]);
    expect(flags(deleteConnector)).toEqual([]);
  });

  it('destroy asks only for protected resources', () => {
    const d = fileDemo();
    expect(flags(plan(d, fileDemoApplied(), { destroy: true }))).toEqual([]);
    d.connectors[0]!.protect = true;
    expect(flags(plan(d, fileDemoApplied(), { destroy: true }))).toEqual([
      ['source.local-file-source', '--allow-delete'],
    ]);
  });
});
