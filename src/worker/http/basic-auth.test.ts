import { describe, expect, it } from 'vitest';
import { authorized } from './basic-auth.js';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('basic authentication', () => {
  const expected = { username: 'ops', password: 'p:ss' };

  it('lets in the right user and password only', () => {
    expect(authorized(basic('ops:p:ss'), expected)).toBe(true);
    expect(authorized(`basic   ${Buffer.from('ops:p:ss').toString('base64')}`, expected)).toBe(true);
    for (const wrong of [
      basic('ops:p:s'),
      basic('op:p:ss'),
      basic('ops:p:ss '),
      basic(''),
      'Bearer x',
      '',
      undefined,
    ])
      expect(authorized(wrong, expected)).toBe(false);
  });
});
