import { describe, expect, it } from 'vitest';
import { converter } from './normalize.js';

const CONNECT_VALUE = { converter: 'json', schemas: true } as const;

describe('a converter resolves field by field: connector, then project defaults, then Connect', () => {
  it("takes Connect's JsonConverter with schemas when nothing is said", () => {
    expect(converter(undefined, undefined, CONNECT_VALUE)).toEqual({
      type: 'json',
      schemas: true,
      decimalFormat: 'BASE64',
    });
  });

  it("keeps the project's schemas setting when the connector only names the converter", () => {
    expect(
      converter({ converter: 'json' }, { schemas: false, decimalFormat: 'NUMERIC' }, CONNECT_VALUE),
    ).toEqual({
      type: 'json',
      schemas: false,
      decimalFormat: 'NUMERIC',
    });
  });

  it("lets the connector's own fields win", () => {
    expect(converter({ schemas: true }, { converter: 'json', schemas: false }, CONNECT_VALUE)).toMatchObject({
      schemas: true,
    });
  });

  it('gives converters other than json fixed JSON settings, so they never show as a change', () => {
    expect(converter({ converter: 'string', schemas: true }, undefined, CONNECT_VALUE)).toEqual({
      type: 'string',
      schemas: false,
      decimalFormat: 'BASE64',
    });
  });
});
