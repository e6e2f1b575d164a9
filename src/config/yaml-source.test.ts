import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_EXPANSION, parseYaml, placeOf, position, readNode } from './yaml-source.js';

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

  it('merges only a plain <<: a quoted "<<" is an ordinary key', () => {
    expect(read('"<<": { x: 1 }\n').located.value).toEqual({ '<<': { x: 1 } });
  });

  it('reports an alias that names no anchor where the name is', () => {
    expect(read('a: 1\nb: *nowhere\n').diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_YAML',
        source: expect.objectContaining({ line: 2, column: 5 }),
        summary: expect.stringContaining('*nowhere'),
      }),
    ]);
  });

  it('places an empty value after its key, where it would have been written', () => {
    const { source, located } = read('a:\nb: x\n');
    expect(position(source, placeOf(located, '/a')!.value)).toEqual({ line: 1, column: 3 });
  });

  it('refuses anchors that repeat anchors without bound, at the alias that crosses the limit', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefghi'].entries()) {
      const previous = 'abcdefgh'[i];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const { source, diagnostics } = parseYaml('bomb.yaml', `${levels.join('\n')}\n`);
    expect(source.root).toBeUndefined();
    // 9^6 values repeat through aliases by the sixth line: past the limit.
    expect(9 ** 6).toBeGreaterThan(MAX_ALIAS_EXPANSION);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_YAML',
        source: expect.objectContaining({ line: 6, column: 9 }),
        summary: expect.stringContaining('aliases in this file repeat more than 100,000 values'),
      }),
    ]);
  });

  it('reads aliases that repeat a shared block many times, below the limit', () => {
    const connectors = Array.from({ length: 1000 }, (_, i) => `  c${i}: { <<: *shared, n: ${i} }`);
    const text = `shared: &shared { a: 1, b: 2, c: 3, d: 4, e: 5 }\nconnectors:\n${connectors.join('\n')}\n`;
    const { located, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect((located.value as { connectors: Record<string, unknown> }).connectors['c999']).toEqual({
      n: 999,
      a: 1,
      b: 2,
      c: 3,
      d: 4,
      e: 5,
    });
  });

  it('reports a file nested too deeply to read instead of overflowing the stack', () => {
    const { diagnostics } = parseYaml('deep.yaml', `a: ${'['.repeat(5_000)}\n`);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_YAML',
        source: expect.objectContaining({ line: 1 }),
        summary: 'YAML nested too deeply to read',
      }),
    ]);
  });
});
