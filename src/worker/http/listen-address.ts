/**
 * `host:port` as `worker.http.listen` and `--http-listen` spell it; an IPv6
 * host is bracketed, as in a URL (`[::1]:8083`).
 */
import { PipeError } from '../../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListenAddress(text: string, setting: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new PipeError('USAGE', `${setting}: "${text}" is not host:port (e.g. 127.0.0.1:8083)`, {
      meta: { field: setting },
    });
  }
  return { host: m[1] ?? m[2] ?? '', port };
}
