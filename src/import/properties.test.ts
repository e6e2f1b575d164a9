import { describe, expect, it } from 'vitest';
import { parseProperties } from './properties.js';

describe('parseProperties reads what java.util.Properties reads', () => {
  it('takes =, : or whitespace between key and value, and skips comments and blank lines', () => {
    const props = parseProperties('# comment\n! also a comment\n\na=1\nb : 2\nc 3\n  d=  spaced value\ne=\n');
    expect(Object.fromEntries([...props].map(([k, v]) => [k, v.value]))).toEqual({
      a: '1',
      b: '2',
      c: '3',
      d: 'spaced value',
      e: '',
    });
  });

  it('joins continued lines and keeps the line where an entry starts', () => {
    const props = parseProperties('x=1\nlist=a,\\\n     b,\\\n     c\ny=2\n');
    expect(props.get('list')).toEqual({ value: 'a,b,c', line: 2 });
    expect(props.get('y')).toEqual({ value: '2', line: 5 });
  });

  it('unescapes keys and values', () => {
    const props = parseProperties('key\\=with\\:seps=tab\\there \\u00e9\\\\\n');
    expect(props.get('key=with:seps')?.value).toBe('tab\there é\\');
  });

  it('keeps a # inside a value', () => {
    expect(parseProperties('topic=a#b\n').get('topic')?.value).toBe('a#b');
  });
});
