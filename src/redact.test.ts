import { afterEach, describe, expect, it } from 'vitest';
import { messageOf, traceOf } from './errors.js';
import { forgetSecrets, redact, rememberSecret } from './redact.js';

afterEach(forgetSecrets);

describe('redact', () => {
  it('puts the reference back wherever a remembered value shows up', () => {
    rememberSecret('hunter2-secret', '${env:DB_PASSWORD}');
    expect(
      redact("EISDIR: illegal operation on a directory, open '/data/dir-hunter2-secret' (hunter2-secret)"),
    ).toBe(
      "EISDIR: illegal operation on a directory, open '/data/dir-${env:DB_PASSWORD}' (${env:DB_PASSWORD})",
    );
    expect(redact('nothing to hide')).toBe('nothing to hide');
  });

  it('replaces a secret containing another whole, and its JSON-escaped form too', () => {
    rememberSecret('abcd', '${env:SHORT}');
    rememberSecret('xx-abcd-"q"', '${file:long.txt}');
    expect(redact('xx-abcd-"q" and abcd')).toBe('${file:long.txt} and ${env:SHORT}');
    expect(redact(JSON.stringify({ m: 'xx-abcd-"q"' }))).toBe('{"m":"${file:long.txt}"}');
  });

  it('leaves values too short to hide anything', () => {
    rememberSecret('abc', '${env:TINY}');
    expect(redact('abc')).toBe('abc');
  });

  it('applies where errors become text: messages and traces', () => {
    rememberSecret('hunter2-secret', '${env:DB_PASSWORD}');
    const err = Object.assign(new Error("EISDIR: open '/d/hunter2-secret'"), { code: 'EISDIR' });
    expect(messageOf(err)).toBe("EISDIR: open '/d/${env:DB_PASSWORD}'");
    expect(messageOf('thrown hunter2-secret')).toBe('thrown ${env:DB_PASSWORD}');
    expect(traceOf(err).split('\n')[0]).toBe("EISDIR: EISDIR: open '/d/${env:DB_PASSWORD}'");
    expect(traceOf(err)).not.toContain('hunter2');
  });
});
