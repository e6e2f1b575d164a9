import { describe, expect, it } from 'vitest';
import type { ConnectorRecord } from '../state/records.js';
import { ConfigView, reconcile, specJson } from './config-view.js';

const spec = (file: string) =>
  ({ name: 'src', kind: 'source', config: { file } }) as unknown as ConnectorRecord['spec'];
const connector = (name: string, s: ConnectorRecord['spec'] | null) => ({
  kind: 'connector' as const,
  name,
  value: s === null ? null : { project: 'p', spec: s, appliedAt: '' },
});

describe('ConfigView', () => {
  it('folds connector records and target states; a connector without a target state runs', () => {
    const view = new ConfigView();
    view.apply(connector('a', spec('x')));
    view.apply(connector('b', spec('y')));
    view.apply({ kind: 'target-state', name: 'b', value: { state: 'PAUSED', 'state.v2': 'STOPPED' } });
    view.apply(connector('a', null));
    expect([...view.wanted()]).toEqual([['b', { spec: spec('y'), target: 'stopped' }]]);
  });

  it('ignores records it does not own', () => {
    const view = new ConfigView();
    view.apply({ kind: 'lock', value: null });
    view.apply({ kind: 'other', key: 'commit-x' });
    expect(view.wanted().size).toBe(0);
  });
});

describe('reconcile', () => {
  const running = (file: string, target: 'running' | 'paused' | 'stopped' = 'running') => ({
    specJson: specJson(spec(file)),
    target,
  });

  it('starts new connectors, deletes gone ones, restarts changed ones, and moves target states', () => {
    const wanted = new Map([
      ['new', { spec: spec('n'), target: 'running' as const }],
      ['changed', { spec: spec('after'), target: 'running' as const }],
      ['paused', { spec: spec('p'), target: 'paused' as const }],
      ['same', { spec: spec('s'), target: 'running' as const }],
    ]);
    const actual = new Map([
      ['gone', running('g')],
      ['changed', running('before')],
      ['paused', running('p')],
      ['same', running('s')],
    ]);
    expect(reconcile(wanted, actual)).toEqual([
      { type: 'delete', name: 'gone' },
      { type: 'start', name: 'new', wanted: wanted.get('new') },
      { type: 'restart', name: 'changed', wanted: wanted.get('changed') },
      { type: 'target', name: 'paused', from: 'running', to: 'paused' },
    ]);
  });

  it('pauses rather than restarts when only the spec’s state changed', () => {
    const paused = { ...spec('x'), state: 'paused' } as ConnectorRecord['spec'];
    expect(
      reconcile(
        new Map([['a', { spec: paused, target: 'paused' as const }]]),
        new Map([['a', running('x')]]),
      ),
    ).toEqual([{ type: 'target', name: 'a', from: 'running', to: 'paused' }]);
  });

  it('does nothing when what runs is what is wanted', () => {
    expect(
      reconcile(new Map([['a', { spec: spec('x'), target: 'running' }]]), new Map([['a', running('x')]])),
    ).toEqual([]);
  });
});
