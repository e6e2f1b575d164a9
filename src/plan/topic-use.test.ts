import { describe, expect, it } from 'vitest';
import {
  actual,
  actualTopic,
  desired,
  fileDemo,
  fileDemoApplied,
  managed,
  recorded,
  sink,
  source,
  topic,
} from '../../test/fixtures/plan/build.js';
import type { DesiredState } from '../config/model.js';
import { plan } from './diff.js';
import type { ActualState } from './model.js';
import { topicsOf } from './topic-use.js';

/** The topic-use diagnostics of a plan, as [severity, code, address, summary]. */
function topicUse(d: DesiredState, a: ActualState, options: { destroy?: boolean } = {}) {
  const codes = new Set(['TOPIC_IN_USE', 'UNKNOWN_TOPIC', 'UNMANAGED_TOPIC']);
  return plan(d, a, options)
    .diagnostics.filter((x) => codes.has(x.code))
    .map((x) => [x.severity, x.code, x.address, x.summary]);
}

const withoutTopic = (d: DesiredState) => ({ ...d, topics: [] });

describe('the topics connectors use, in the plan', () => {
  const cases: [string, DesiredState, ActualState, unknown[][]][] = [
    ['a declared topic, created by the plan: nothing to say', fileDemo(), actual(), []],
    ['a declared topic that exists: nothing to say', fileDemo(), fileDemoApplied(), []],
    [
      'a topic removed from the pipelines while both connectors still use it',
      withoutTopic(fileDemo()),
      fileDemoApplied(),
      [
        [
          'error',
          'TOPIC_IN_USE',
          'topic.connect-test',
          'topic.connect-test would be deleted, but connectors source.local-file-source and sink.local-file-sink use it',
        ],
      ],
    ],
    ['a topic removed together with the connectors that used it', desired(), fileDemoApplied(), []],
    [
      'a topic another project manages and does not declare, used by a connector of this one',
      desired({ connectors: [source('s', { topic: 'shared' })] }),
      actual({ topics: { shared: actualTopic('shared') }, managedTopics: { shared: managed('other') } }),
      [
        [
          'warning',
          'UNMANAGED_TOPIC',
          'topic.shared',
          'source.s uses topic shared, which no pipeline declares: it exists on the cluster, and pipe leaves it unmanaged',
        ],
      ],
    ],
    [
      'an undeclared topic that exists on the cluster',
      desired({ connectors: [sink('k', { topics: ['external'] })] }),
      actual({ topics: { external: actualTopic('external') } }),
      [
        [
          'warning',
          'UNMANAGED_TOPIC',
          'topic.external',
          'sink.k uses topic external, which no pipeline declares: it exists on the cluster, and pipe leaves it unmanaged',
        ],
      ],
    ],
    [
      'an undeclared topic that the cluster does not have, named by two connectors',
      desired({ connectors: [source('s', { topic: 'typo' }), sink('k', { topics: ['typo'] })] }),
      actual(),
      [
        [
          'error',
          'UNKNOWN_TOPIC',
          'topic.typo',
          'connectors source.s and sink.k use topic typo, which no pipeline declares and the cluster does not have',
        ],
      ],
    ],
    [
      'a dead letter topic that nobody declares and the cluster does not have',
      desired({
        topics: [topic('in')],
        connectors: [
          sink('k', { topics: ['in'], errors: { tolerance: 'all', deadLetterTopic: 'dlq', retries: 0 } }),
        ],
      }),
      actual(),
      [
        [
          'error',
          'UNKNOWN_TOPIC',
          'topic.dlq',
          'sink.k uses topic dlq, which no pipeline declares and the cluster does not have',
        ],
      ],
    ],
    [
      "a topic this project deletes while another project's connector reads it",
      desired(),
      actual({
        topics: { orders: actualTopic('orders') },
        managedTopics: { orders: managed() },
        connectors: { reader: recorded(sink('reader', { topics: ['orders'] }), 'billing') },
      }),
      [
        [
          'error',
          'TOPIC_IN_USE',
          'topic.orders',
          'topic.orders would be deleted, but sink.reader (project "billing") uses it',
        ],
      ],
    ],
    [
      "another project's connector naming a topic this plan knows nothing of: its own plan's business",
      desired(),
      actual({ connectors: { reader: recorded(sink('reader', { topics: ['elsewhere'] }), 'billing') } }),
      [],
    ],
  ];

  it.each(cases)('%s', (_, d, a, expected) => {
    expect(topicUse(d, a)).toEqual(expected);
  });

  it('refuses to destroy a topic that connectors of another project use, and not those of this one', () => {
    const a = {
      ...fileDemoApplied(),
      connectors: {
        ...fileDemoApplied().connectors,
        reader: recorded(sink('reader', { topics: ['connect-test'] }), 'billing'),
      },
    };
    expect(topicUse(fileDemo(), a, { destroy: true })).toEqual([
      [
        'error',
        'TOPIC_IN_USE',
        'topic.connect-test',
        'topic.connect-test would be deleted, but sink.reader (project "billing") uses it',
      ],
    ]);
    expect(topicUse(fileDemo(), fileDemoApplied(), { destroy: true })).toEqual([]);
  });

  it('names each topic a connector uses once', () => {
    expect(
      topicsOf(
        sink('k', {
          topics: ['a', 'b', 'a'],
          errors: { tolerance: 'all', deadLetterTopic: 'b', retries: 0 },
        }),
      ),
    ).toEqual(['a', 'b']);
    expect(topicsOf(source('s', { topic: 'out' }))).toEqual(['out']);
  });
});
