import { describe, expect, it } from 'vitest';
import { type InterpolationContext, interpolate, type Variable } from './interpolate.js';

const ctx = (overrides: Partial<InterpolationContext> = {}): InterpolationContext => ({
  env: { BROKERS: 'b:9092', PORT: '8083', EMPTY: '' },
  vars: new Map<string, Variable>([
    ['partitions', { value: 6, sensitive: false }],
    ['region', { value: 'eu', sensitive: false }],
    ['token', { value: 's3cret', sensitive: true, sealed: '${env:TOKEN}' }],
  ]),
  readFile: (path) => {
    if (path === 'secret.txt') return 'pa55\n';
    throw new Error('no such file');
  },
  ...overrides,
});

describe('interpolate', () => {
  it('keeps a secret’s references unresolved in its sealed text, and only those', () => {
    expect(interpolate('${var:region}:${env:PORT}/${file:secret.txt}', ctx())).toMatchObject({
      value: 'eu:8083/pa55',
      sealed: 'eu:${env:PORT}/${file:secret.txt}',
    });
    expect(interpolate('Bearer ${var:token}', ctx())).toMatchObject({
      value: 'Bearer s3cret',
      sealed: 'Bearer ${env:TOKEN}',
    });
    expect(interpolate('$${literal} ${env:PORT}', ctx())).toMatchObject({
      value: '${literal} 8083',
      sealed: '$${literal} ${env:PORT}',
    });
    expect(interpolate('${var:region}', ctx())).not.toHaveProperty('sealed');
  });

  it('substitutes environment variables, marking the result sensitive', () => {
    expect(interpolate('${env:BROKERS}', ctx())).toEqual({
      ok: true,
      value: 'b:9092',
      sensitive: true,
      whole: true,
      sealed: '${env:BROKERS}',
    });
  });

  it('uses the default when the variable is unset or empty', () => {
    expect(interpolate('${env:NOPE:-127.0.0.1:9092}', ctx())).toMatchObject({ value: '127.0.0.1:9092' });
    expect(interpolate('${env:EMPTY:-x}', ctx())).toMatchObject({ value: 'x' });
  });

  it('fails on an unset variable without default, naming it', () => {
    expect(interpolate('a-${env:NOPE}', ctx())).toEqual({
      ok: false,
      message: expect.stringContaining('environment variable NOPE is not set'),
      index: 2,
    });
  });

  it('keeps the type of a variable when the text is only the reference', () => {
    expect(interpolate('${var:partitions}', ctx())).toEqual({
      ok: true,
      value: 6,
      sensitive: false,
      whole: true,
    });
  });

  it('says when the text was one reference, so the field may give it its type', () => {
    expect(interpolate('${env:PORT}', ctx())).toEqual({
      ok: true,
      value: '8083',
      sensitive: true,
      whole: true,
      sealed: '${env:PORT}',
    });
    expect(interpolate('port ${env:PORT}', ctx())).toMatchObject({ value: 'port 8083', whole: false });
  });

  it('builds strings from several references and text', () => {
    expect(interpolate('orders-${var:region}-${var:partitions}', ctx())).toEqual({
      ok: true,
      value: 'orders-eu-6',
      sensitive: false,
      whole: false,
    });
  });

  it('carries the secrecy of a variable that came from the environment', () => {
    expect(interpolate('Bearer ${var:token}', ctx())).toMatchObject({ sensitive: true });
  });

  it('reads files without their final newline, as secrets', () => {
    expect(interpolate('${file:secret.txt}', ctx())).toMatchObject({
      ok: true,
      value: 'pa55',
      sensitive: true,
    });
    expect(interpolate('${file:missing.txt}', ctx())).toMatchObject({
      ok: false,
      message: 'cannot read missing.txt: no such file',
    });
  });

  it('names the defined variables when one is missing', () => {
    expect(interpolate('${var:regoin}', ctx())).toMatchObject({
      ok: false,
      message: expect.stringContaining('defined: partitions, region, token'),
    });
  });

  it('refuses variables where there are none, unknown schemes and unterminated references', () => {
    expect(interpolate('${var:x}', ctx({ vars: undefined }))).toMatchObject({ ok: false });
    expect(interpolate('${vault:x}', ctx())).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown reference'),
    });
    expect(interpolate('abc ${env:X', ctx())).toMatchObject({ ok: false, index: 4 });
  });

  it('leaves variables as written when the project file could not be read', () => {
    expect(interpolate('t-${var:region}', ctx({ vars: 'unknown' }))).toMatchObject({
      ok: true,
      value: 't-${var:region}',
    });
  });

  it('writes $${ as a literal ${', () => {
    expect(interpolate('cost: $${env:X}', ctx())).toMatchObject({
      ok: true,
      value: 'cost: ${env:X}',
      sensitive: false,
    });
  });
});
