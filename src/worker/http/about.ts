/**
 * What the worker says of itself in Connect's `GET /` and
 * `GET /connector-plugins`: pipe's own version (it is not a Connect release)
 * and pipe's built-in connectors, named the way a connector config names them.
 */
import { readFileSync } from 'node:fs';
import { builtInConnectors } from '../../connectors/index.js';
import { connectorClass } from './connect-config.js';

let version: string | undefined;

export function pipeVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}

export interface ConnectorPlugin {
  class: string;
  type: 'source' | 'sink';
  version: string;
}

export function connectorPlugins(): ConnectorPlugin[] {
  return builtInConnectors()
    .map(({ kind, type }) => ({
      class: connectorClass({ kind, connector: type }),
      type: kind,
      version: pipeVersion(),
    }))
    .sort((a, b) => a.class.localeCompare(b.class));
}
