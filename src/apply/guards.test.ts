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

const permissions = (p: ReturnType<typeof plan>, allow = {}) =>
  refusals(p, allow).map((r) => [r.address, r.permission]);

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

  it('a replace needs allowReplace', () => {
    expect(permissions(replaceTopic)).toEqual([['topic.t', 'allowReplace']]);
    expect(permissions(replaceTopic, { allowReplace: true })).toEqual([]);
  });

  it('deleting a topic needs allowDelete; deleting a connector does not', () => {
    expect(permissions(deleteTopic)).toEqual([['topic.t', 'allowDelete']]);
    expect(permissions(deleteTopic, { allowDelete: true })).toEqual([]);
    expect(permissions(deleteConnector)).toEqual([]);
  });

  it('destroy follows the same rule: its topics and protected resources need allowDelete', () => {
    const d = fileDemo();
    expect(permissions(plan(d, fileDemoApplied(), { destroy: true }))).toEqual([
      ['topic.connect-test', 'allowDelete'],
    ]);
    d.connectors[0]!.protect = true;
    expect(permissions(plan(d, fileDemoApplied(), { destroy: true }))).toEqual([
      ['source.local-file-source', 'allowDelete'],
      ['topic.connect-test', 'allowDelete'],
    ]);
    expect(permissions(plan(d, fileDemoApplied(), { destroy: true }), { allowDelete: true })).toEqual([]);
  });
});
