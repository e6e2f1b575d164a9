import { describe, expect, it } from 'vitest';
import { parseYaml, placeOf, position, readNode } from './yaml-source.js';

function read(text: string) {
  const { source, diagnostics } = parseYaml('f.yaml', text);
  return { source, diagnostics, located: readNode(source, source.root, {}, diagnostics) };
}

describe('reading YAML with positions', () => {
  it('types plain scalars by the YAML 1.2 core schema and keeps quoted ones as text', () => {
    const { located } = read('a: 1\nb: "1"\nc: true\nd: ~\ne: 1.5\nf: !!str 2\ng: yes\n');
    expect(located.value).toEqual({ a: 1, b: '1', c: true, d: null, e: 1.5, f: '2', g: 'yes' });
  });

  it('finds the line and column of keys and values, including inside flow maps and lists', () => {
    const { source, located } = read(
      'topics:\n  orders:\n    config: { retention.ms: 5 }\n    list: [a, b]\n',
    );
    const at = (pointer: string, which: 'key' | 'value') =>
      position(source, placeOf(located, pointer)![which]!);
    expect(at('/topics/orders', 'key')).toEqual({ line: 2, column: 3 });
    expect(at('/topics/orders/config/retention.ms', 'value')).toEqual({ line: 3, column: 29 });
    expect(at('/topics/orders/list/1', 'value')).toEqual({ line: 4, column: 15 });
  });

  it('keeps the text of integers beyond exact JavaScript numbers', () => {
    const { located } = read('retention: 9223372036854775807\n');
    expect(located.bigIntegers.get('/retention')).toBe('9223372036854775807');
  });

  it('resolves aliases to their anchored values', () => {
    expect(read('base: &b { x: 1 }\ncopy: *b\n').located.value).toEqual({ base: { x: 1 }, copy: { x: 1 } });
  });

  it('merges maps named by <<, the entries written in place winning', () => {
    const { located } = read('base: &b { x: 1, y: 2 }\nmore: &m { z: 3 }\ncopy:\n  <<: [*b, *m]\n  y: 5\n');
    expect((located.value as Record<string, unknown>)['copy']).toEqual({ y: 5, x: 1, z: 3 });
  });

  it('reports a key written twice in one map where the second one is', () => {
    const { diagnostics } = read('a: 1\nb: 2\na: 3\n');
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_YAML',
        source: expect.objectContaining({ line: 3, column: 1 }),
        summary: expect.stringContaining('line 1'),
      }),
    ]);
  });

  it('refuses a second document', () => {
    expect(read('a: 1\n---\nb: 2\n').diagnostics).toEqual([
      expect.objectContaining({ code: 'CONFIG_YAML', source: expect.objectContaining({ line: 2 }) }),
    ]);
  });

  it('reads an empty file as nothing', () => {
    const { source, diagnostics, located } = read('# nothing yet\n');
    expect([source.root, diagnostics, located.value]).toEqual([undefined, [], undefined]);
  });
});
