import { afterEach, describe, expect, it } from 'vitest';
import { forgetSecrets, redact } from '../redact.js';
import { rememberSecretsOf, sealSpec, unsealSpec } from './secrets.js';

const spec = {
  name: 'db-source',
  config: { 'database.password': 's3cret', url: 'jdbc:postgresql://db/app', port: 5432 },
  sealed: { '/config/database.password': '${env:DB_PASSWORD}', '/config/port': '${env:DB_PORT}' },
};

const noFiles = (path: string): string => {
  throw new Error(`no such file ${path}`);
};

describe('sealed secrets', () => {
  it('store the reference in place of the secret and leave everything else as it was', () => {
    const sealed = sealSpec(spec);
    expect(sealed.config['database.password']).toBe('${env:DB_PASSWORD}');
    expect(sealed.config.url).toBe('jdbc:postgresql://db/app');
    expect(JSON.stringify(sealed)).not.toContain('s3cret');
    expect(spec.config['database.password']).toBe('s3cret');
  });

  it('keep numbers and flags as they are, since only strings are credentials', () => {
    expect(sealSpec(spec).config.port).toBe(5432);
  });

  it('resolve again in the worker’s environment', () => {
    const result = unsealSpec(sealSpec(spec), { env: { DB_PASSWORD: 'rotated' }, readFile: noFiles });
    expect(result).toEqual({
      ok: true,
      spec: { ...spec, config: { ...spec.config, 'database.password': 'rotated' } },
    });
  });

  it('read ${file:…} secrets where the worker runs', () => {
    const fileSpec = { config: { token: 'x' }, sealed: { '/config/token': 'Bearer ${file:token.txt}' } };
    const result = unsealSpec(sealSpec(fileSpec), {
      env: {},
      readFile: (path) => (path === 'token.txt' ? 'abc\n' : noFiles(path)),
    });
    expect(result.ok && result.spec.config.token).toBe('Bearer abc');
  });

  it('say which secret cannot be resolved when the worker lacks it', () => {
    const result = unsealSpec(sealSpec(spec), { env: {}, readFile: noFiles });
    expect(result).toEqual({
      ok: false,
      pointer: '/config/database.password',
      message: expect.stringContaining('DB_PASSWORD is not set'),
    });
  });

  it('leave a spec without secrets untouched', () => {
    const plain: { config: { file: string }; sealed?: Record<string, string> } = {
      config: { file: '/tmp/a' },
    };
    expect(sealSpec(plain)).toBe(plain);
    expect(unsealSpec(plain, { env: {}, readFile: noFiles })).toEqual({ ok: true, spec: plain });
  });
});

describe('secrets remembered for redaction', () => {
  afterEach(forgetSecrets);

  it('are the values of the env and file references in sealed strings, not numbers', () => {
    const loaded = {
      config: { password: 'x', url: 'u', port: 5432 },
      sealed: {
        '/config/password': '${env:DB_PASSWORD}',
        '/config/url': 'jdbc:postgresql://db/app?key=${file:key.txt}&user=${env:MISSING:-admin-user}',
        '/config/port': '${env:DB_PORT}',
      },
    };
    rememberSecretsOf(loaded, {
      env: { DB_PASSWORD: 'rotated-pw', DB_PORT: '5432' },
      readFile: () => 'key-from-file\n',
    });
    expect(redact('rotated-pw key-from-file admin-user 5432')).toBe(
      '${env:DB_PASSWORD} ${file:key.txt} ${env:MISSING:-admin-user} 5432',
    );
  });

  it('are remembered by the worker when it resolves them', () => {
    unsealSpec(sealSpec(spec), { env: { DB_PASSWORD: 'rotated-pw', DB_PORT: '1' }, readFile: noFiles });
    expect(redact('open rotated-pw')).toBe('open ${env:DB_PASSWORD}');
  });
});
