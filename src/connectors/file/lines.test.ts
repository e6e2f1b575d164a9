import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lines.js';

function takeAll(s: LineSplitter, max = 1000): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  s.take(max, (line, end) => out.push([line, end]));
  return out;
}

describe('LineSplitter', () => {
  it('gives each line with the byte position after its newline, counting from the stored offset', () => {
    const s = new LineSplitter(10);
    s.push(Buffer.from('aaa\nbbb\n'));
    expect(takeAll(s)).toEqual([
      ['aaa', 14],
      ['bbb', 18],
    ]);
    expect(s.position).toBe(18);
  });

  it('holds back an unterminated line until its newline arrives', () => {
    const s = new LineSplitter(0);
    s.push(Buffer.from('aaa\nbb'));
    expect(takeAll(s)).toEqual([['aaa', 4]]);
    expect(s.position).toBe(4);
    expect(s.readPosition).toBe(6);
    s.push(Buffer.from('b\n'));
    expect(takeAll(s)).toEqual([['bbb', 8]]);
  });

  it('strips a trailing carriage return but counts its byte', () => {
    const s = new LineSplitter(0);
    s.push(Buffer.from('a\r\n\r\nb\n'));
    expect(takeAll(s)).toEqual([
      ['a', 3],
      ['', 5],
      ['b', 7],
    ]);
  });

  it('counts positions in bytes, not characters', () => {
    const s = new LineSplitter(0);
    s.push(Buffer.from('é€\nx\n'));
    expect(takeAll(s)).toEqual([
      ['é€', 6],
      ['x', 8],
    ]);
  });

  it('stops after max lines and continues where it stopped', () => {
    const s = new LineSplitter(0);
    s.push(Buffer.from('1\n2\n3\n'));
    expect(takeAll(s, 2)).toEqual([
      ['1', 2],
      ['2', 4],
    ]);
    expect(takeAll(s, 2)).toEqual([['3', 6]]);
  });

  it('a line split over many chunks comes out whole', () => {
    const s = new LineSplitter(0);
    for (const part of ['he', 'll', 'o\nw', 'orld\n']) s.push(Buffer.from(part));
    expect(takeAll(s)).toEqual([
      ['hello', 6],
      ['world', 12],
    ]);
  });

  it('reset drops what was buffered and continues from the given position', () => {
    const s = new LineSplitter(0);
    s.push(Buffer.from('partial'));
    s.reset(0);
    s.push(Buffer.from('new\n'));
    expect(takeAll(s)).toEqual([['new', 4]]);
  });
});
