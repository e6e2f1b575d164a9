/**
 * HTTP basic authentication, as Connect's BasicAuthSecurityRestExtension
 * asks for it. Credentials are compared as digests in constant time, so
 * neither their content nor their length shows in the answer's timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function authorized(header: string | undefined, expected: Credentials): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const given = m?.[1] === undefined ? '' : Buffer.from(m[1], 'base64').toString('utf8');
  return timingSafeEqual(digest(given), digest(`${expected.username}:${expected.password}`));
}
