import { describe, expect, it } from 'vitest';
import { isPipeError } from '../../errors.js';
import { parseListenAddress } from './listen-address.js';

describe('parseListenAddress', () => {
  it('reads host and port, IPv6 in brackets', () => {
    expect(parseListenAddress('127.0.0.1:8083', 's')).toEqual({ host: '127.0.0.1', port: 8083 });
    expect(parseListenAddress('[::1]:0', 's')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress('localhost:9000', 's')).toEqual({ host: 'localhost', port: 9000 });
  });

  it('refuses what is not host:port, naming the setting', () => {
    for (const bad of ['8083', 'host:', 'host:70000', '::1:8083']) {
      let caught: unknown;
      try {
        parseListenAddress(bad, '--http-listen');
      } catch (err) {
        caught = err;
      }
      expect(
        isPipeError(caught) && caught.code === 'USAGE' && caught.message.startsWith('--http-listen'),
      ).toBe(true);
    }
  });
});
